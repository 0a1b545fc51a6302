import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTempRepo, stubAgentCommand, type TempRepo } from '../helpers/temp-repo.ts';
import { runCli } from './cli-harness.ts';

let repo: TempRepo;
let issueFile: string;
beforeEach(() => {
  repo = createTempRepo({ 'README.md': '# scratch\n', 'notes.txt': 'one\ntwo\nthree\n' });
  issueFile = join(repo.dir, '..', `${repo.dir.split('/').at(-1)}-issue.md`);
});
afterEach(() => {
  repo.remove();
  if (existsSync(issueFile)) writeFileSync(issueFile, '');
  vi.unstubAllEnvs();
});

function writeIssue(body: string): string {
  writeFileSync(issueFile, body);
  return issueFile;
}

const planIssue = (tasks: string) =>
  `# Add greetings\n\nSome context.\n\n\`\`\`cluster\ntasks:\n${tasks}\`\`\`\n`;
const branches = () => repo.git('branch', '--list', 'cluster/*');
const run = (...extra: string[]) =>
  runCli([
    'run',
    '--issue',
    issueFile,
    '--repo',
    repo.dir,
    '--agent',
    stubAgentCommand(),
    '--run-id',
    'cli',
    ...extra,
  ]);

describe('claude-cluster run', () => {
  describe('with an explicit plan whose tasks all land', () => {
    it('prints the pull-request body and exits 0', async () => {
      writeIssue(
        planIssue(
          '  - { id: hello, title: Say hello, prompt: "@write hello.txt = hello" }\n' +
            '  - { id: bye, title: Say bye, prompt: "@write bye.txt = bye", depends_on: [hello] }\n',
        ),
      );
      const result = await run();
      expect(result.stderr).toMatch(/task hello integrated/);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('2 of 2 tasks integrated');
      expect(result.stdout).toContain('```mermaid');
      expect(repo.git('show', 'cluster/cli/integration:bye.txt')).toBe('bye');
    });

    it('prints one JSON report with --json and writes the body with --out', async () => {
      writeIssue(planIssue('  - { id: hello, title: Say hello, prompt: "@write hello.txt = hello" }\n'));
      const out = `${issueFile}.body.md`;
      const result = await run('--json', '--out', out);
      expect(result.exitCode).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report).toMatchObject({
        runId: 'cli',
        base: 'main',
        integrationBranch: 'cluster/cli/integration',
        tasks: [
          {
            id: 'hello',
            status: 'integrated',
            branch: 'cluster/cli/tasks/hello',
            files: ['hello.txt'],
            conflicts: [],
          },
        ],
      });
      expect(report.tasks[0].commit).toMatch(/^[0-9a-f]{40}$/);
      expect(readFileSync(out, 'utf8')).toBe(report.prBody);
    });
  });

  describe('with a task list instead of a plan block', () => {
    it('runs every unchecked item as an independent task', async () => {
      writeIssue(
        '# Chores\n\n- [x] already done\n- [ ] Write the a file\n  @write a.txt = a\n- [ ] Write the b file\n  @write b.txt = b\n',
      );
      const result = await run('--json');
      expect(result.exitCode).toBe(0);
      const ids = JSON.parse(result.stdout).tasks.map((task: { id: string }) => task.id);
      expect(ids).toEqual(['write-the-a-file', 'write-the-b-file']);
    });
  });

  describe('when a task fails', () => {
    it('exits 1 and names the failed and skipped tasks in the body', async () => {
      writeIssue(
        planIssue(
          '  - { id: broken, title: Broken, prompt: "@fail no luck" }\n' +
            '  - { id: after, title: After, prompt: "@write a.txt = a", depends_on: [broken] }\n',
        ),
      );
      const result = await run();
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain('/cluster retry broken');
      expect(result.stdout).toMatch(/after.*skipped.*depends on \\?`broken\\?`, which failed/);
    });
  });

  describe('with bad input', () => {
    it('refuses a plan with a cycle, prints the cycle path and creates no branch', async () => {
      writeIssue(
        planIssue(
          '  - { id: a, title: A, prompt: x, depends_on: [c] }\n' +
            '  - { id: b, title: B, prompt: x, depends_on: [a] }\n' +
            '  - { id: c, title: C, prompt: x, depends_on: [b] }\n',
        ),
      );
      const result = await run();
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/a → c → b → a|a → b → c → a|c → b → a → c/);
      expect(branches()).toBe('');
    });

    it('refuses invalid flags, naming each', async () => {
      writeIssue(planIssue('  - { id: a, title: A, prompt: "@write a = a" }\n'));
      const result = await run('--parallel', '0', '--on-conflict', 'merge');
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('--parallel must be at least 1');
      expect(result.stderr).toContain('--on-conflict takes resolve, retry or skip');
      expect(branches()).toBe('');
    });

    it('refuses a dirty working tree and a missing base branch', async () => {
      writeIssue(planIssue('  - { id: a, title: A, prompt: "@write a = a" }\n'));
      const missing = await run('--base', 'nope');
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toContain('base branch `nope` does not exist');
      writeFileSync(join(repo.dir, 'notes.txt'), 'changed\n');
      const dirty = await run();
      expect(dirty.exitCode).toBe(2);
      expect(dirty.stderr).toContain('uncommitted changes (notes.txt)');
      expect(branches()).toBe('');
    });

    it('stops before any task when Claude Code is not logged in, naming the ways to log in', async () => {
      // Claude Code is asked with an empty home, so a login on this machine cannot make the test pass.
      const home = mkdtempSync(join(tmpdir(), 'cluster-empty-home-'));
      vi.stubEnv('HOME', home);
      vi.stubEnv('CLAUDE_CONFIG_DIR', undefined);
      vi.stubEnv('CLAUDE_CODE_MAX_RETRIES', '0');
      vi.stubEnv('DISABLE_TELEMETRY', '1');
      vi.stubEnv('CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', '1');
      for (const name of [
        'ANTHROPIC_API_KEY',
        'CLAUDE_CODE_OAUTH_TOKEN',
        'ANTHROPIC_AUTH_TOKEN',
        'CLAUDE_CODE_USE_BEDROCK',
        'CLAUDE_CODE_USE_VERTEX',
      ]) {
        vi.stubEnv(name, '');
      }
      writeIssue(planIssue('  - { id: a, title: A, prompt: "@write a = a" }\n'));
      const result = await runCli(['run', '--issue', issueFile, '--repo', repo.dir]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('Claude Code is not logged in: run `claude auth login`');
      expect(result.stderr).toContain('ANTHROPIC_API_KEY');
      expect(result.stderr).toContain('--agent');
      expect(branches()).toBe('');
      rmSync(home, { recursive: true, force: true });
    });
  });

  describe('with an issue that has no plan', () => {
    it('has the agent write the plan, then runs it', async () => {
      writeIssue(
        '# Please add two files\n\nNo plan here.\n\n```stub-plan\ntasks:\n  - { id: one, title: One, prompt: "@write one.txt = 1" }\n  - { id: two, title: Two, prompt: "@write two.txt = 2", depends_on: [one] }\n```\n',
      );
      const result = await run('--json');
      expect(result.stderr).toMatch(/plan from the agent/);
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout).tasks.map((task: { id: string }) => task.id)).toEqual(['one', 'two']);
    });
  });
});

describe('claude-cluster plan', () => {
  it('prints the task table and the Mermaid graph without changing anything', async () => {
    writeIssue(
      planIssue(
        '  - { id: db, title: Database, prompt: x }\n  - { id: api, title: API, prompt: y, depends_on: [db] }\n',
      ),
    );
    const result = await runCli(['plan', '--issue', issueFile, '--repo', repo.dir]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('| Task | Status |');
    expect(result.stdout).toContain('t_db --> t_api');
    expect(branches()).toBe('');
  });

  it('reads the issue from stdin and prints the plan as JSON', async () => {
    const result = await runCli(['plan', '--issue', '-', '--repo', repo.dir, '--json'], {
      stdin: planIssue('  - { id: db, title: Database, prompt: x }\n'),
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      source: 'block',
      plan: { tasks: [{ id: 'db', depends_on: [] }] },
    });
  });
});

describe('claude-cluster validate', () => {
  it('prints the effective settings of a valid file', async () => {
    const file = `${issueFile}.yml`;
    writeFileSync(file, 'max_parallel: 2\non_conflict: skip\n');
    const result = await runCli(['validate', '--config', file]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('max_parallel: 2');
    expect(result.stdout).toContain('on_conflict: skip');
  });

  it('names the line and key of each problem and exits 2', async () => {
    const file = `${issueFile}.yml`;
    writeFileSync(file, 'max_parallel: 2\nmax_paralel: 3\non_conflict: merge\n');
    const result = await runCli(['validate', '--config', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/line 2: `max_paralel` is not a known key; did you mean `max_parallel`\?/);
    expect(result.stderr).toMatch(/line 3: .*on_conflict/);
  });
});
