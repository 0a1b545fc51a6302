import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommandAgent } from '../../core/agent/command-agent.ts';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { assertValidPlan } from '../../core/plan/validate-plan.ts';
import { runCluster } from '../../core/run/run-cluster.ts';
import { runCli } from '../cli/cli-harness.ts';
import { createTempRepo, stubAgentCommand, type TempRepo } from '../helpers/temp-repo.ts';
import {
  createLoot,
  daemonPids,
  escapingDaemons,
  isRunning,
  killAll,
  type Loot,
  plantingAgent,
  scriptAgent,
} from './hostile-scripts.ts';

let repo: TempRepo;
let loot: Loot;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  repo = createTempRepo({ 'README.md': '# scratch\n' });
  loot = createLoot();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  loot.remove();
  repo.remove();
});

/** Every ref of the repository, name → commit. */
function refs(): Map<string, string> {
  return new Map(
    repo
      .git('for-each-ref', '--format=%(refname) %(objectname)')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
}

/** Runs one task locally with the agent given as a shell script. */
async function runHostile(script: string) {
  const agent = scriptAgent(script);
  cleanups.push(agent.remove);
  return runCluster({
    repoDir: repo.dir,
    base: 'main',
    runId: 'r1',
    title: 'Hostile issue',
    plan: assertValidPlan({ tasks: [{ id: 'evil', title: 'Task evil', prompt: 'do it' }] }),
    config: ConfigSchema.parse({}),
    agent: createCommandAgent(agent.command),
  });
}

/** Command lines of every running process. */
function runningCommands(): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && isRunning(Number(entry)))
    .map((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      } catch {
        return '';
      }
    });
}

/** A hook in the repository that records that it ran and exits `code`. */
function installHook(name: string, code: number): string {
  const marker = join(loot.dir, `${name}.ran`);
  const path = join(repo.dir, '.git', 'hooks', name);
  writeFileSync(path, `#!/bin/sh\ntouch "${marker}"\nexit ${code}\n`);
  chmodSync(path, 0o755);
  return marker;
}

describe('a local run with a hostile agent', () => {
  it('runs none of the hooks, fsmonitor or filters the agent planted', async () => {
    const report = await runHostile(plantingAgent(loot));
    expect(report.tasks[0]?.state).toBe('integrated');
    expect(repo.git('show', 'cluster/r1/integration:work.txt')).toBe('work');
    expect(loot.files()).toEqual([]);
  });

  it('moves no branch outside the run when the agent checks out a user branch and leaves its edits', async () => {
    repo.git('branch', 'feature');
    const before = refs();
    const report = await runHostile('git checkout -q feature && echo work > work.txt');
    expect(report.tasks[0]?.state).toBe('integrated');
    expect(repo.git('show', 'cluster/r1/tasks/evil:work.txt')).toBe('work');
    const after = refs();
    for (const [ref, commit] of before) expect(after.get(ref), ref).toBe(commit);
    for (const ref of after.keys()) {
      if (!before.has(ref)) expect(ref).toMatch(/^refs\/heads\/cluster\/r1\//);
    }
  });

  it('keeps the commits the agent made on its task branch', async () => {
    const report = await runHostile(
      'echo one > one.txt && git add one.txt && git -c user.name=A -c user.email=a@b commit -qm "agent commit" && echo two > two.txt',
    );
    expect(report.tasks[0]?.files).toEqual(['one.txt', 'two.txt']);
    expect(repo.git('log', '--format=%s', 'cluster/r1/tasks/evil', '-n', '2').split('\n')[1]).toBe(
      'agent commit',
    );
  });
});

describe('a local run with an agent that starts daemons', () => {
  it('leaves no process of the agent running after the task, also those that left its process group', async () => {
    const marker = `sleep 302`;
    const report = await runHostile(escapingDaemons(loot));
    const pids = daemonPids(loot);
    cleanups.push(() => killAll(pids));
    expect(report.tasks[0]?.state).toBe('integrated');
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isRunning(pid), `daemon ${pid}`).toBe(false);
    expect(runningCommands()).not.toContain(marker);
  });
});

describe('a repository with failing hooks', () => {
  it('runs a plan from the issue although post-checkout exits 1, running no hook', async () => {
    const markers = [
      installHook('post-checkout', 1),
      installHook('post-commit', 1),
      installHook('reference-transaction', 0),
      installHook('pre-commit', 1),
    ];
    const issue = join(loot.dir, 'issue.md');
    writeFileSync(
      issue,
      '# Greet\n\n```cluster\ntasks:\n  - { id: hello, title: Say hello, prompt: "@write hello.txt = hello" }\n```\n',
    );
    const result = await runCli([
      'run',
      '--issue',
      issue,
      '--repo',
      repo.dir,
      '--agent',
      stubAgentCommand(),
      '--run-id',
      'hooks',
    ]);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.exitCode).toBe(0);
    expect(repo.git('show', 'cluster/hooks/integration:hello.txt')).toBe('hello');
    for (const marker of markers) expect(existsSync(marker), marker).toBe(false);
  });
});

describe('input with control characters', () => {
  const issueWith = (heading: string, title: string) =>
    `# ${heading}\n\n\`\`\`cluster\ntasks:\n  - { id: hello, title: "${title}", prompt: "@write hello.txt = hello" }\n\`\`\`\n`;
  const cli = (command: 'plan' | 'run', text: string) => {
    const issue = join(loot.dir, 'issue.md');
    writeFileSync(issue, text);
    const extra = command === 'run' ? ['--run-id', 'ctl'] : [];
    return runCli([command, '--issue', issue, '--repo', repo.dir, '--agent', stubAgentCommand(), ...extra]);
  };

  it.each(['plan', 'run'] as const)(
    '%s refuses a NUL in a task title, naming the task and field',
    async (command) => {
      const result = await cli(command, issueWith('Greet', 'Say\\0hello'));
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/task #1 \(`hello`\): `title` contains the control character U\+0000/);
      expect(result.stderr).toMatch(/remove it/);
      expect(repo.git('branch', '--list', 'cluster/*')).toBe('');
    },
  );

  it('refuses an escape sequence in a prompt but accepts tabs and newlines there', async () => {
    const bad = await cli('plan', issueWith('Greet', 'Say hello').replace('@write', '\\e[2J@write'));
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/`prompt` contains the control character U\+001B/);
    const good = await cli('plan', issueWith('Greet', 'Say hello').replace('@write', '\\t@write'));
    expect(good.exitCode).toBe(0);
  });

  it('refuses a NUL in the issue heading with exit 2 and changes nothing', async () => {
    const result = await cli('run', issueWith('Greet\0everyone', 'Say hello'));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/issue heading .* contains the control character U\+0000/);
    expect(result.stderr).not.toMatch(/git .* failed/);
    expect(repo.git('branch', '--list', 'cluster/*')).toBe('');
  });
});

describe('a bare repository', () => {
  it('is refused as bare, with the way to run in a clone', async () => {
    const bare = `${repo.dir}-bare.git`;
    cleanups.push(() => rmSync(bare, { recursive: true, force: true }));
    repo.git('clone', '--quiet', '--bare', repo.dir, bare);
    const issue = join(loot.dir, 'issue.md');
    writeFileSync(issue, '# Greet\n\n- [ ] Say hello\n');
    const result = await runCli([
      'run',
      '--issue',
      issue,
      '--repo',
      bare,
      '--agent',
      stubAgentCommand(),
      '--base',
      'main',
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/is a bare repository/);
    expect(result.stderr).toMatch(/clone it/);
    expect(result.stderr).not.toMatch(/not a git repository/);
  });
});

describe('a local run whose agent prints the model key in its plan and summary', () => {
  it('publishes the key nowhere: not in the plan, the commits, the ledger or the body', async () => {
    const key = 'sk-ant-api03-localHostileKey-0123456789';
    vi.stubEnv('ANTHROPIC_API_KEY', key);
    cleanups.push(() => vi.unstubAllEnvs());
    const agent = scriptAgent(
      [
        'if [ "$CLUSTER_MODE" = plan ]; then',
        '  printf "\\`\\`\\`cluster\\ntasks:\\n  - { id: hello, title: \\"Use $ANTHROPIC_API_KEY\\", prompt: \\"say hello\\" }\\n\\`\\`\\`\\n"',
        '  exit 0',
        'fi',
        'echo hello > hello.txt',
        'echo "done with $ANTHROPIC_API_KEY"',
      ].join('\n'),
    );
    cleanups.push(agent.remove);
    const issue = join(loot.dir, 'issue.md');
    writeFileSync(issue, '# Greet\n\nSay hello.\n');
    const result = await runCli([
      'run',
      '--issue',
      issue,
      '--repo',
      repo.dir,
      '--agent',
      agent.command,
      '--run-id',
      'k',
    ]);
    expect(result.exitCode).toBe(0);
    expect(repo.git('show', 'cluster/k/integration:hello.txt')).toBe('hello');
    expect(result.stdout).toContain('***');
    for (const text of [result.stdout, result.stderr, repo.git('log', '--all', '-p', '--format=%B')]) {
      expect(text).not.toContain(key);
    }
  });
});
