import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommandAgent } from '../../core/agent/command-agent.ts';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { remoteBranchStore } from '../../core/integrate/remote-branch-store.ts';
import { assertValidPlan } from '../../core/plan/validate-plan.ts';
import { runSingleTask } from '../../core/run/run-single-task.ts';
import { createSignalFile } from '../helpers/signal-file.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';
import {
  createLoot,
  daemonPids,
  escapingDaemons,
  isRunning,
  JOB_SECRETS,
  killAll,
  type Loot,
  PUSH_CREDENTIAL_ENV,
  plantingAgent,
  SECRET_VALUES,
  scriptAgent,
} from './hostile-scripts.ts';

let remote: TempRemote;
let loot: Loot;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  remote = createTempRemote({ 'README.md': '# remote\n' });
  loot = createLoot();
  for (const [name, value] of Object.entries(JOB_SECRETS)) vi.stubEnv(name, value);
});
afterEach(() => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0)) cleanup();
  loot.remove();
  remote.remove();
});

/** Refs of the remote, name → commit. */
function remoteRefs(): Map<string, string> {
  return new Map(
    remote
      .git('for-each-ref', '--format=%(refname) %(objectname)')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
}

/** Runs one task as a matrix job would, with the agent given as a shell script and no secret in its environment. */
async function hostileJob(script: string, checkout = remote.clone()) {
  const agent = scriptAgent(script);
  cleanups.push(agent.remove);
  const [task] = assertValidPlan({ tasks: [{ id: 'evil', title: 'Task evil', prompt: 'do it' }] }).tasks;
  const result = await runSingleTask({
    checkoutDir: checkout,
    store: remoteBranchStore({
      repoDir: checkout,
      remote: 'origin',
      env: PUSH_CREDENTIAL_ENV,
      guardPush: (name, branch) => {
        if (name !== 'origin' || !branch.startsWith('cluster/r7/')) throw new Error(`refused ${branch}`);
      },
    }),
    runId: 'r7',
    task: task!,
    base: 'main',
    title: 'Hostile issue',
    config: ConfigSchema.parse({}),
    agent: createCommandAgent(agent.command, { env: { PATH: process.env.PATH, HOME: process.env.HOME } }),
    workDir: `${checkout}-work`,
  });
  return { result, checkout };
}

describe('a task job with a hostile agent', () => {
  it('runs none of the hooks, fsmonitor or filters it planted, so none sees a secret', async () => {
    const { result } = await hostileJob(plantingAgent(loot));
    expect(result.status).toBe('integrated');
    expect(remote.git('show', 'cluster/r7/ledger:work.txt')).toBe('work');
    expect(loot.files()).toEqual([]);
    for (const secret of SECRET_VALUES) expect(loot.text()).not.toContain(secret);
  });

  it('commits on the task branch only, when the agent switched the checkout to another branch', async () => {
    remote.git('branch', 'feature', 'main');
    const before = remoteRefs();
    const { result, checkout } = await hostileJob(
      ['git checkout -q -b feature origin/feature', 'echo work > work.txt'].join('\n'),
    );
    expect(result.status).toBe('integrated');
    expect(remote.git('show', 'cluster/r7/tasks/evil:work.txt')).toBe('work');
    const after = remoteRefs();
    for (const [ref, commit] of before) expect(after.get(ref)).toBe(commit);
    for (const ref of after.keys()) {
      if (!before.has(ref)) expect(ref).toMatch(/^refs\/heads\/cluster\/r7\//);
    }
    // The job's own local branch the agent made is untouched by the engine too.
    const local = execFileSync('git', ['rev-parse', 'feature', 'origin/feature'], {
      cwd: checkout,
      encoding: 'utf8',
    });
    const [feature, origin] = local.trim().split('\n');
    expect(feature).toBe(origin);
  });

  it('leaves no process of the agent running after the task, also those that left its process group', async () => {
    const { result } = await hostileJob(escapingDaemons(loot));
    const pids = daemonPids(loot);
    cleanups.push(() => killAll(pids));
    expect(result.status).toBe('integrated');
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(isRunning(pid), `daemon ${pid}`).toBe(false);
  });
});

describe('a task job whose agent publishes the model key', () => {
  it('fails the task naming the file, and pushes, commits and reports no secret', async () => {
    const agent = scriptAgent(
      [
        'env > env-dump.txt',
        'echo "$ANTHROPIC_API_KEY" > key.txt',
        'echo "my key is $ANTHROPIC_API_KEY"',
      ].join('\n'),
    );
    cleanups.push(agent.remove);
    const checkout = remote.clone();
    const [task] = assertValidPlan({ tasks: [{ id: 'leak', title: 'Task leak', prompt: 'do it' }] }).tasks;
    const result = await runSingleTask({
      checkoutDir: checkout,
      store: remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush: () => {} }),
      runId: 'r7',
      task: task!,
      base: 'main',
      title: 'Hostile issue',
      config: ConfigSchema.parse({}),
      // The agent is given the model key, as Claude Code is in the action.
      agent: createCommandAgent(agent.command, {
        env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: JOB_SECRETS.ANTHROPIC_API_KEY },
      }),
      workDir: `${checkout}-work`,
      secrets: [JOB_SECRETS.GITHUB_TOKEN, JOB_SECRETS.ANTHROPIC_API_KEY],
    });
    expect(result.status).toBe('failed');
    const outcome = result.report.tasks[0]!;
    expect(outcome.reason).toMatch(
      /holds a secret of this job .* in `(env-dump|key)\.txt`; nothing of it was committed or pushed/,
    );
    expect(outcome.files).toEqual([]);
    // Everything the remote holds: every commit's message and every blob reachable from any ref.
    const everything = remote.git('log', '--all', '-p', '--format=%H%n%B');
    for (const secret of SECRET_VALUES) {
      expect(everything).not.toContain(secret);
      expect(JSON.stringify(result.report)).not.toContain(secret);
    }
    expect(JSON.stringify(result.report)).toContain('my key is ***');
  });
});

describe('a task job whose agent redirects the remote in the git config', () => {
  it('pushes to the real remote only, after undoing the config the agent wrote', async () => {
    const evil = `${remote.bare}-evil.git`;
    execFileSync('git', ['init', '--quiet', '--bare', evil]);
    cleanups.push(() => execFileSync('rm', ['-rf', evil]));
    const { result } = await hostileJob(
      [
        `git config remote.origin.pushurl "${evil}"`,
        `git config url."${evil}".insteadOf "${remote.bare}"`,
        'echo work > work.txt',
      ].join('\n'),
    );
    expect(result.status).toBe('integrated');
    expect(remote.git('show', 'cluster/r7/ledger:work.txt')).toBe('work');
    expect(execFileSync('git', ['for-each-ref'], { cwd: evil, encoding: 'utf8' })).toBe('');
  });
});

describe('a task job whose conflict resolver writes the model key', () => {
  it('refuses the resolution and publishes the key nowhere', async () => {
    const signal = createSignalFile();
    const agent = scriptAgent(
      [
        'if [ "$CLUSTER_MODE" = resolve ]; then',
        '  printf "a\\nb %s\\n" "$ANTHROPIC_API_KEY" > README.md',
        '  exit 0',
        'fi',
        // b works from the same start as a, and finishes after a landed: a real conflict.
        `if [ "$CLUSTER_TASK_ID" = b ]; then touch "${signal.path}.waiting"; while [ ! -f "${signal.path}" ]; do sleep 0.05; done; fi`,
        'printf "%s\\n" "$CLUSTER_TASK_ID" > README.md',
      ].join('\n'),
    );
    cleanups.push(agent.remove);
    const job = (id: string) => {
      const checkout = remote.clone();
      const [task] = assertValidPlan({ tasks: [{ id, title: `Task ${id}`, prompt: 'do it' }] }).tasks;
      return runSingleTask({
        checkoutDir: checkout,
        store: remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush: () => {} }),
        runId: 'r7',
        task: task!,
        base: 'main',
        title: 'Hostile issue',
        config: ConfigSchema.parse({ on_conflict: 'resolve' }),
        agent: createCommandAgent(agent.command, {
          env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: JOB_SECRETS.ANTHROPIC_API_KEY },
        }),
        workDir: `${checkout}-work`,
        secrets: [JOB_SECRETS.ANTHROPIC_API_KEY],
      });
    };
    const pending = job('b');
    await signal.waiting();
    expect((await job('a')).status).toBe('integrated');
    signal.fire();
    const b = await pending;
    expect(b.status).toBe('conflicted');
    expect(b.report.tasks.find((task) => task.id === 'b')?.reason).toMatch(/resolution holds a secret/);
    expect(remote.git('log', '--all', '-p', '--format=%B')).not.toContain(JOB_SECRETS.ANTHROPIC_API_KEY);
  });
});
