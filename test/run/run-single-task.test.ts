import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandAgent } from '../../core/agent/command-agent.ts';
import { type ConfigInput, ConfigSchema } from '../../core/config/config-schema.ts';
import type { BranchStore } from '../../core/integrate/branch-store.ts';
import { readLedger } from '../../core/integrate/read-ledger.ts';
import { remoteBranchStore } from '../../core/integrate/remote-branch-store.ts';
import { assertValidPlan } from '../../core/plan/validate-plan.ts';
import { runSingleTask } from '../../core/run/run-single-task.ts';
import { createSignalFile } from '../helpers/signal-file.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';
import { stubAgentCommand } from '../helpers/temp-repo.ts';

let remote: TempRemote;
beforeEach(() => {
  remote = createTempRemote({ 'README.md': '# remote\n', 'notes.txt': 'one\ntwo\nthree\n' });
});
afterEach(() => remote.remove());

/** Runs one task as a matrix job would, in a fresh clone of the remote. */
function job(
  id: string,
  prompt: string,
  config: ConfigInput = {},
  wrap: (store: BranchStore) => BranchStore = (store) => store,
  options: { advanceIntegration?: boolean } = {},
) {
  const checkout = remote.clone();
  const [task] = assertValidPlan({ tasks: [{ id, title: `Task ${id}`, prompt }] }).tasks;
  const guardPush = (name: string, branch: string) => {
    if (name !== 'origin' || !branch.startsWith('cluster/r7/'))
      throw new Error(`refused push to ${name} ${branch}`);
  };
  return runSingleTask({
    checkoutDir: checkout,
    store: wrap(remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush })),
    runId: 'r7',
    task: task!,
    base: 'main',
    title: 'Remote issue',
    config: ConfigSchema.parse(config),
    agent: createCommandAgent(stubAgentCommand()),
    workDir: `${checkout}-work`,
    ...options,
  });
}

const show = (ref: string, path: string) => remote.git('show', `${ref}:${path}`);

describe('runSingleTask', () => {
  describe('with a clean task', () => {
    it('creates the ledger from the base, pushes the task branch and integrates it there, leaving the integration branch to the App', async () => {
      const result = await job('hello', '@write hello.txt = hello');
      expect(() => remote.git('rev-parse', '--verify', '--quiet', 'cluster/r7/integration')).toThrow();
      expect(result).toMatchObject({
        status: 'integrated',
        integrated: true,
        branch: 'cluster/r7/tasks/hello',
      });
      expect(show('cluster/r7/ledger', 'hello.txt')).toBe('hello');
      expect(show('cluster/r7/tasks/hello', 'hello.txt')).toBe('hello');
      const ledger = await readLedger(remote.bare, 'cluster/r7/ledger', 'r7');
      expect(ledger.map((entry) => entry.event)).toEqual(['start', 'task']);
      expect(result.report.tasks[0]).toMatchObject({
        id: 'hello',
        state: 'integrated',
        files: ['hello.txt'],
      });
    });

    it('without the App, moves the integration branch to the start and one merge of the task, no bookkeeping', async () => {
      const result = await job('hello', '@write hello.txt = hello', {}, undefined, {
        advanceIntegration: true,
      });

      expect(show('cluster/r7/integration', 'hello.txt')).toBe('hello');
      expect(
        remote.git('log', '--first-parent', '--format=%s', 'cluster/r7/integration').split('\n'),
      ).toEqual(['Merge task hello: Task hello', 'Start run r7: Remote issue [skip ci]', 'initial commit']);
      expect(result.report.integrationCommit).toBe(remote.git('rev-parse', 'cluster/r7/integration'));
    });

    it('does nothing when the task already landed (a re-run job)', async () => {
      await job('hello', '@write hello.txt = hello');
      const before = remote.git('rev-parse', 'cluster/r7/ledger');
      const again = await job('hello', '@write hello.txt = changed');
      expect(again).toMatchObject({ status: 'integrated', alreadyDone: true });
      expect(remote.git('rev-parse', 'cluster/r7/ledger')).toBe(before);
    });
  });

  describe('with two jobs finishing at the same moment', () => {
    it('integrates both, the later one after its push was rejected', async () => {
      // Alpha computes its merge and, before pushing it, lets beta land first: alpha's lease must then fail.
      const betaLanded = Promise.withResolvers<void>();
      const alphaReady = Promise.withResolvers<void>();
      const outcomes: string[] = [];
      const ledgerBranch = 'cluster/r7/ledger';
      const alphaStore = (store: BranchStore): BranchStore => ({
        ...store,
        head: store.head,
        async compareAndSwap(branch, next, expected, reason) {
          if (branch === ledgerBranch && expected !== undefined) {
            alphaReady.resolve();
            await betaLanded.promise;
          }
          const swapped = await store.compareAndSwap(branch, next, expected, reason);
          if (branch === ledgerBranch && expected !== undefined)
            outcomes.push(`alpha ${swapped ? 'landed' : 'rejected'}`);
          return swapped;
        },
      });
      const betaStore = (store: BranchStore): BranchStore => ({
        ...store,
        head: store.head,
        async compareAndSwap(branch, next, expected, reason) {
          if (branch === ledgerBranch && expected !== undefined && reason.includes('integrate'))
            await alphaReady.promise;
          const swapped = await store.compareAndSwap(branch, next, expected, reason);
          if (branch === ledgerBranch && expected !== undefined && swapped && reason.includes('integrate')) {
            outcomes.push('beta landed');
            betaLanded.resolve();
          }
          return swapped;
        },
      });
      const [a, b] = await Promise.all([
        job('alpha', '@write a.txt = a', {}, alphaStore),
        job('beta', '@write b.txt = b', {}, betaStore),
      ]);
      expect(outcomes.slice(0, 3)).toEqual(['beta landed', 'alpha rejected', 'alpha landed']);
      expect([a.status, b.status]).toEqual(['integrated', 'integrated']);
      expect(show('cluster/r7/ledger', 'a.txt')).toBe('a');
      expect(show('cluster/r7/ledger', 'b.txt')).toBe('b');
      const ledger = await readLedger(remote.bare, 'cluster/r7/ledger', 'r7');
      expect(ledger.filter((entry) => entry.event === 'start')).toHaveLength(1);
      expect(
        ledger
          .filter((entry) => entry.event === 'task')
          .map((entry) => entry.event === 'task' && entry.task)
          .sort(),
      ).toEqual(['alpha', 'beta']);
    });
  });

  describe('with many jobs starting at once before the run’s branches exist', () => {
    it('starts the run once and lands every task, round after round', async () => {
      for (let round = 0; round < 10; round++) {
        // Each round starts a fresh run: none of the run's branches exist yet.
        for (const ref of remote
          .git('for-each-ref', '--format=%(refname)', 'refs/heads/cluster/')
          .split('\n')) {
          if (ref) remote.git('update-ref', '-d', ref);
        }
        const ids = Array.from({ length: 8 }, (_, index) => `t${index}`);
        const results = await Promise.allSettled(ids.map((id) => job(id, `@write ${id}.txt = ${id}`)));
        const failures = results.flatMap((result) =>
          result.status === 'rejected' ? [`round ${round}: ${String(result.reason)}`] : [],
        );
        expect(failures).toEqual([]);
        expect(results.map((result) => result.status === 'fulfilled' && result.value.status)).toEqual(
          ids.map(() => 'integrated'),
        );
        for (const id of ids) expect(show('cluster/r7/ledger', `${id}.txt`)).toBe(id);
        const ledger = await readLedger(remote.bare, 'cluster/r7/ledger', 'r7');
        expect(ledger.filter((entry) => entry.event === 'start')).toHaveLength(1);
      }
    }, 240_000);
  });

  describe('with a conflict', () => {
    const first = '@replace notes.txt line 2 = TWO from first';
    const second = '@replace notes.txt line 2 = TWO from second';

    it('with on_conflict skip, keeps the branch unmerged and records the conflict', async () => {
      const signal = createSignalFile();
      const clashing = job('second', `@wait-for ${signal.path}\n${second}`, { on_conflict: 'skip' });
      await signal.waiting();
      await job('first', first);
      signal.fire();
      const result = await clashing;
      expect(result.status).toBe('conflicted');
      expect(result.report.tasks[0]?.conflicts[0]).toMatchObject({
        files: ['notes.txt'],
        resolution: 'skipped',
      });
      expect(show('cluster/r7/tasks/second', 'notes.txt')).toContain('TWO from second');
    });

    it('with on_conflict resolve, merges the agent’s resolution', async () => {
      const signal = createSignalFile();
      const clashing = job('second', `@wait-for ${signal.path}\n${second}`, { on_conflict: 'resolve' });
      await signal.waiting();
      await job('first', first);
      signal.fire();
      const result = await clashing;
      expect(result.status).toBe('resolved');
      expect(show('cluster/r7/ledger', 'notes.txt')).toContain('TWO from first\nTWO from second');
    });

    it('with on_conflict retry, re-runs the task on the integration branch', async () => {
      const signal = createSignalFile();
      const clashing = job('second', `@wait-for ${signal.path}\n${second}`, { on_conflict: 'retry' });
      await signal.waiting();
      await job('first', first);
      signal.fire();
      const result = await clashing;
      expect(result).toMatchObject({ status: 'resolved', branch: 'cluster/r7/retries/second' });
      expect(show('cluster/r7/ledger', 'notes.txt')).toContain('TWO from second');
    });
  });

  describe('when the agent fails', () => {
    it('still pushes the task branch with the partial work and records the failure', async () => {
      const result = await job('broken', '@write half.txt = half\n@fail out of ideas');
      expect(result).toMatchObject({ status: 'failed', integrated: false });
      expect(show('cluster/r7/tasks/broken', 'half.txt')).toBe('half');
      expect(result.report.tasks[0]?.reason).toMatch(/out of ideas/);
    });
  });
});
