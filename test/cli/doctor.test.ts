import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { doctorCommand } from '../../cli/commands/doctor-command.ts';
import {
  checkGit,
  checkNode,
  checkRepository,
  checkWorkflow,
  type DoctorProbes,
  type RepositoryFacts,
} from '../../cli/doctor/doctor-checks.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';
import { createTempRepo, stubAgentCommand, type TempRepo } from '../helpers/temp-repo.ts';
import { runCli } from './cli-harness.ts';

const WORKFLOW = '.github/workflows/claude-cluster.yml';
const workflowUsing = (uses: string) =>
  `on: workflow_dispatch\njobs:\n  task:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - uses: ${uses}\n        with: { mode: task }\n`;

/** Probes of a machine where everything a run needs is in place. */
function healthyProbes(overrides: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    node: { version: '24.21.0', executable: '/opt/node/bin/node' },
    gitVersion: async () => 'git version 2.47.1\n',
    agentName: 'Claude Code',
    checkAgent: async () => 'installed; logged in (claude.ai)',
    inspectRepository: async () => ({
      kind: 'repository',
      root: '/src/app',
      base: 'main',
      baseExists: true,
      changedFiles: [],
    }),
    configName: '.github/claude-cluster.yml',
    loadConfig: async () => {},
    readWorkflow: async () => ({ path: WORKFLOW, text: workflowUsing('acme/claude-cluster@3f1c2a9') }),
    ...overrides,
  };
}

async function doctor(probes: DoctorProbes, options: Record<string, unknown> = {}) {
  const stdout = new PassThrough();
  const out: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const io = {
    stdin: Readable.from(['']),
    stdout,
    stderr: new PassThrough(),
    signal: new AbortController().signal,
  };
  const exitCode = await doctorCommand(options, io, probes);
  return { exitCode, stdout: out.join('') };
}

describe('claude-cluster doctor', () => {
  it('prints a ✓ line for every check and exits 0 when everything a first run needs is in place', async () => {
    const result = await doctor(healthyProbes());

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      [
        '✓ Node: Node 24.21.0',
        '✓ git: git 2.47.1',
        '✓ Claude Code: installed; logged in (claude.ai)',
        '✓ repository: /src/app, clean, base branch `main`',
        '✓ configuration: .github/claude-cluster.yml is valid',
        `✓ GitHub workflow: ${WORKFLOW} uses acme/claude-cluster@3f1c2a9`,
        '',
        'Ready: a first run has what it needs.',
        '',
      ].join('\n'),
    );
  });

  it('marks each miss with ✗ and its fix, keeps checking the rest, and exits 1', async () => {
    const result = await doctor(
      healthyProbes({
        checkAgent: async () => {
          throw new EnvironmentError('Claude Code is not logged in: run `claude auth login`');
        },
        loadConfig: async () => {
          throw new InputError('.github/claude-cluster.yml is invalid', [
            'line 2: `max_paralel` is not a known key; did you mean `max_parallel`?',
          ]);
        },
      }),
    );

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('✗ Claude Code: Claude Code is not logged in: run `claude auth login`\n');
    expect(result.stdout).toContain(
      '✗ configuration: .github/claude-cluster.yml is invalid\n  - line 2: `max_paralel`',
    );
    expect(result.stdout).toContain('✓ repository:');
    expect(result.stdout).toContain('2 checks failed: fix them as said above');
  });

  it('passes without a workflow, which only GitHub use needs, and says so', async () => {
    const result = await doctor(
      healthyProbes({ readWorkflow: async () => ({ path: WORKFLOW, text: undefined }) }),
    );

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`- GitHub workflow: no ${WORKFLOW}: needed only to run on GitHub`);
  });

  it('prints the checks as JSON with --json', async () => {
    const result = await doctor(healthyProbes({ gitVersion: async () => undefined }), { json: true });

    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks).toHaveLength(6);
    expect(report.checks[1]).toEqual({
      name: 'git',
      status: 'fail',
      detail: 'git was not found on PATH; install git 2.38 or newer',
    });
  });
});

describe('the doctor check of Node', () => {
  it('passes a supported Node and fails an old one, naming the Node needed', () => {
    expect(checkNode({ version: '22.12.0', executable: '/n' }).status).toBe('pass');
    expect(checkNode({ version: '20.20.2', executable: '/usr/bin/node' })).toEqual({
      name: 'Node',
      status: 'fail',
      detail: expect.stringMatching(
        /^this is Node 20\.20\.2 \(\/usr\/bin\/node\); claude-cluster needs .*\^22\.12\.0 \|\| >=24/,
      ),
    });
  });
});

describe('the doctor check of git', () => {
  it('fails a git older than 2.38 with how to fix it', () => {
    expect(checkGit('git version 2.37.9')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('git 2.37.9 is too old: claude-cluster needs git 2.38 or newer'),
    });
    expect(checkGit('git version 2.38.0 (Apple Git-140)').status).toBe('pass');
  });
});

describe('the doctor check of the repository', () => {
  const repository: RepositoryFacts = {
    kind: 'repository',
    root: '/src/app',
    base: 'main',
    baseExists: true,
    changedFiles: [],
  };

  it('fails outside a repository, on a detached HEAD, a missing base, and uncommitted changes', () => {
    expect(checkRepository({ kind: 'not-a-repository' }).detail).toContain('pass --repo <dir>');
    expect(checkRepository({ ...repository, base: undefined }).detail).toContain('pass --base <branch>');
    expect(checkRepository({ ...repository, base: 'develop', baseExists: false }).detail).toBe(
      'base branch `develop` does not exist in /src/app; pass --base with an existing branch',
    );
    expect(checkRepository({ ...repository, changedFiles: ['a.ts', 'b.ts'] }).detail).toContain(
      'uncommitted changes (a.ts, b.ts); commit or stash them first',
    );
    expect(checkRepository(repository).status).toBe('pass');
  });
});

describe('the doctor check of the GitHub workflow', () => {
  it.each([
    'claude-cluster/claude-cluster@v1',
    'claude-cluster/claude-cluster/.github/workflows/claude-cluster-reusable.yml@v1',
    '<owner>/claude-cluster@<sha>',
  ])('fails while the action reference is the placeholder %s', (uses) => {
    const result = checkWorkflow(WORKFLOW, workflowUsing(uses));

    expect(result.status).toBe('fail');
    expect(result.detail).toContain(`still uses the placeholder \`${uses}\`; replace it with the repository`);
  });

  it('fails a workflow that does not use the action, or is not YAML', () => {
    const withoutAction =
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v5\n';
    expect(checkWorkflow(WORKFLOW, withoutAction).detail).toContain('does not use the claude-cluster action');
    expect(checkWorkflow(WORKFLOW, 'jobs: [unclosed').detail).toContain('is not valid YAML');
  });

  it('passes a workflow whose action reference is filled in', () => {
    expect(checkWorkflow(WORKFLOW, workflowUsing('my-org/claude-cluster@0123abcd'))).toEqual({
      name: 'GitHub workflow',
      status: 'pass',
      detail: `${WORKFLOW} uses my-org/claude-cluster@0123abcd`,
    });
  });
});

describe('claude-cluster doctor on a real repository', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = createTempRepo();
  });
  afterEach(() => {
    repo.remove();
    vi.unstubAllEnvs();
  });

  it('passes a clean repository with a runnable --agent, then fails once the workflow keeps the placeholder', async () => {
    const ready = await runCli(['doctor', '--repo', repo.dir, '--agent', stubAgentCommand()]);
    expect(ready.stderr).toBe('');
    expect(ready.stdout).toContain('✓ agent command:');
    expect(ready.stdout).toContain('✓ repository:');
    expect(ready.exitCode).toBe(0);

    mkdirSync(join(repo.dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo.dir, WORKFLOW), workflowUsing('claude-cluster/claude-cluster@v1'));
    repo.git('add', '-A');
    repo.git('commit', '--quiet', '-m', 'add workflow');

    const placeholder = await runCli(['doctor', '--repo', repo.dir, '--agent', stubAgentCommand()]);
    expect(placeholder.stdout).toContain('✗ GitHub workflow:');
    expect(placeholder.exitCode).toBe(1);
  });

  it('asks Claude Code whether it is logged in when no --agent is given', async () => {
    // An empty home: a login on this machine cannot make the test pass, and Claude Code stays offline.
    const home = mkdtempSync(join(tmpdir(), 'cluster-doctor-home-'));
    vi.stubEnv('HOME', home);
    vi.stubEnv('CLAUDE_CONFIG_DIR', undefined);
    vi.stubEnv('CLAUDE_CODE_MAX_RETRIES', '0');
    vi.stubEnv('DISABLE_TELEMETRY', '1');
    vi.stubEnv('CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', '1');
    for (const name of ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_AUTH_TOKEN'])
      vi.stubEnv(name, '');
    for (const name of ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX']) vi.stubEnv(name, '');

    const loggedOut = await runCli(['doctor', '--repo', repo.dir]);
    expect(loggedOut.stdout).toContain(
      '✗ Claude Code: Claude Code is not logged in: run `claude auth login`',
    );
    expect(loggedOut.exitCode).toBe(1);

    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(
      join(home, '.claude', 'settings.json'),
      JSON.stringify({ apiKeyHelper: 'echo sk-ant-test' }),
    );
    const helper = await runCli(['doctor', '--repo', repo.dir]);
    expect(helper.stdout).toContain('✓ Claude Code: installed; logged in (api_key_helper)');
    expect(helper.exitCode).toBe(0);
    rmSync(home, { recursive: true, force: true });
  });

  it('looks for the workflow the configuration names', async () => {
    mkdirSync(join(repo.dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo.dir, '.github', 'claude-cluster.yml'), 'workflow: cluster-jobs.yml\n');
    writeFileSync(
      join(repo.dir, '.github', 'workflows', 'cluster-jobs.yml'),
      workflowUsing('acme/claude-cluster@v1'),
    );
    repo.git('add', '-A');
    repo.git('commit', '--quiet', '-m', 'configure');

    const result = await runCli(['doctor', '--repo', repo.dir, '--agent', stubAgentCommand()]);

    expect(result.stdout).toContain(
      '✓ GitHub workflow: .github/workflows/cluster-jobs.yml uses acme/claude-cluster@v1',
    );
    expect(result.exitCode).toBe(0);
  });

  it('fails an --agent command that cannot be found', async () => {
    const result = await runCli(['doctor', '--repo', repo.dir, '--agent', 'no-such-agent-xyz --go']);

    expect(result.stdout).toContain(
      '✗ agent command: agent command `no-such-agent-xyz` was not found on PATH; install it or give its full path in --agent',
    );
    expect(result.exitCode).toBe(1);
  });
});
