import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLedger } from '../../core/integrate/read-ledger.ts';
import type { RunEvent } from '../../core/run/run-events.ts';
import { createSignalFile, type SignalFile } from '../helpers/signal-file.ts';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.ts';
import { outcome, runWithStub } from './run-fixture.ts';

let repo: TempRepo;
beforeEach(() => {
  repo = createTempRepo({ 'README.md': '# scratch\n', 'notes.txt': 'one\ntwo\nthree\nfour\nfive\n' });
});
afterEach(() => repo.remove());

const show = (ref: string, path: string) => repo.git('show', `${ref}:${path}`);

/** Fires `signal` once `taskId` has landed on the integration branch. */
function fireWhenIntegrated(taskId: string, signal: SignalFile) {
  return (event: RunEvent) => {
    if (event.type === 'task-state' && event.taskId === taskId && event.state === 'integrated') signal.fire();
  };
}

describe('runCluster', () => {
  describe('with independent tasks', () => {
    it('merges every task branch into one integration branch and leaves the checkout alone', async () => {
      repo.git('checkout', '--quiet', '-b', 'my-work');
      const { report } = await runWithStub(repo, [
        { id: 'alpha', prompt: '@write src/alpha.txt = alpha' },
        { id: 'beta', prompt: '@write src/beta.txt = beta' },
        { id: 'gamma', prompt: '@write src/gamma.txt = gamma' },
      ]);
      expect(report.tasks.map((task) => task.state)).toEqual(['integrated', 'integrated', 'integrated']);
      expect(show('cluster/r1/integration', 'src/alpha.txt')).toBe('alpha');
      expect(show('cluster/r1/integration', 'src/gamma.txt')).toBe('gamma');
      expect(outcome(report, 'beta').files).toEqual(['src/beta.txt']);
      expect(outcome(report, 'beta').branch).toBe('cluster/r1/tasks/beta');
      expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('my-work');
      expect(repo.git('status', '--porcelain')).toBe('');
      expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
    });

    it('records every outcome as a ledger commit with trailers on the ledger branch, and the integration branch holds the start and one merge per task', async () => {
      await runWithStub(repo, [
        { id: 'alpha', prompt: '@write a.txt = a' },
        { id: 'beta', prompt: '@write b.txt = b' },
      ]);
      const ledger = await readLedger(repo.dir, 'cluster/r1/ledger', 'r1');
      expect(ledger.map((entry) => entry.event)).toEqual(['start', 'task', 'task']);
      expect(repo.git('rev-parse', 'cluster/r1/integration')).toBe(ledger.at(-1)!.projection);
      const merges = repo.git('log', '--first-parent', '--format=%s', 'cluster/r1/integration').split('\n');
      expect(merges.slice(0, 2).sort()).toEqual([
        'Merge task alpha: Task alpha',
        'Merge task beta: Task beta',
      ]);
      expect(merges.slice(2)).toEqual(['Start run r1: Test issue [skip ci]', 'initial commit']);
      const log = repo.git('log', '--first-parent', '--format=%B', 'cluster/r1/ledger', '-n', '1');
      expect(log).toMatch(/^Cluster-Task: (alpha|beta)$/m);
      expect(log).toMatch(/^Cluster-Status: integrated$/m);
      expect(log).toMatch(/^Cluster-Resolution: clean$/m);
    });
  });

  describe('with a dependency chain', () => {
    it('starts each task from the integration branch holding its dependencies’ work', async () => {
      const { report } = await runWithStub(repo, [
        { id: 'schema', prompt: '@write db/schema.sql = create table users;' },
        { id: 'api', prompt: '@append db/schema.sql = create table tokens;', depends_on: ['schema'] },
        { id: 'docs', prompt: '@append db/schema.sql = -- documented', depends_on: ['api'] },
      ]);
      expect(report.tasks.every((task) => task.state === 'integrated')).toBe(true);
      expect(show('cluster/r1/integration', 'db/schema.sql')).toBe(
        'create table users;\ncreate table tokens;\n-- documented',
      );
      // The dependent's branch was cut after its dependency landed.
      expect(repo.git('show', 'cluster/r1/tasks/api:db/schema.sql')).toContain('create table users;');
    });
  });

  describe('with two tasks editing the same lines', () => {
    // `second` starts with `first` (same integration head) and edits only after `first` has landed.
    const signal = createSignalFile();
    const clashing = [
      { id: 'first', prompt: '@replace notes.txt line 2 = TWO from first' },
      { id: 'second', prompt: `@wait-for ${signal.path}\n@replace notes.txt line 2 = TWO from second` },
    ];
    const afterFirstLands = { onEvent: fireWhenIntegrated('first', signal) };
    beforeEach(() => rmSync(signal.path, { force: true }));

    it('with on_conflict skip, leaves the later branch unmerged and reports the conflict', async () => {
      const { report } = await runWithStub(repo, clashing, { on_conflict: 'skip' }, afterFirstLands);
      expect(outcome(report, 'first').state).toBe('integrated');
      const second = outcome(report, 'second');
      expect(second.state).toBe('conflicted');
      expect(second.conflicts[0]?.files).toEqual(['notes.txt']);
      expect(second.conflicts[0]?.touchedBy).toEqual({ 'notes.txt': ['first'] });
      expect(second.conflicts[0]?.resolution).toBe('skipped');
      expect(second.conflicts[0]?.excerpt).toContain('<<<<<<< cluster/r1/integration');
      expect(second.conflicts[0]?.excerpt).toContain('>>>>>>> cluster/r1/tasks/second');
      expect(show('cluster/r1/integration', 'notes.txt')).toContain('TWO from first');
      expect(show('cluster/r1/tasks/second', 'notes.txt')).toContain('TWO from second');
    });

    it('with on_conflict resolve, lets the agent resolve it and merges the result', async () => {
      const { report } = await runWithStub(repo, clashing, { on_conflict: 'resolve' }, afterFirstLands);
      const second = outcome(report, 'second');
      expect(second.state).toBe('resolved');
      expect(second.conflicts[0]?.resolution).toBe('resolved');
      const merged = show('cluster/r1/integration', 'notes.txt');
      expect(merged).toContain('TWO from first\nTWO from second');
      expect(merged).not.toMatch(/^(<<<<<<<|>>>>>>>|=======)/m);
    });

    it('with on_conflict resolve, keeps the conflict when the agent fails to resolve it', async () => {
      const { report } = await runWithStub(
        repo,
        [clashing[0]!, { id: 'second', prompt: `${clashing[1]!.prompt}\n@resolve-fail` }],
        { on_conflict: 'resolve' },
        afterFirstLands,
      );
      const second = outcome(report, 'second');
      expect(second.state).toBe('conflicted');
      expect(second.conflicts[0]?.resolution).toBe('unresolved');
      expect(second.reason).toMatch(/not resolved/);
      expect(show('cluster/r1/integration', 'notes.txt')).not.toContain('from second');
    });

    it('with on_conflict retry, re-runs the task on the current integration branch', async () => {
      const { report } = await runWithStub(repo, clashing, { on_conflict: 'retry' }, afterFirstLands);
      const second = outcome(report, 'second');
      expect(second.state).toBe('resolved');
      expect(second.conflicts[0]?.resolution).toBe('retried');
      expect(second.branch).toBe('cluster/r1/retries/second');
      expect(show('cluster/r1/integration', 'notes.txt')).toContain('TWO from second');
      // The first attempt stays on its own branch.
      expect(show('cluster/r1/tasks/second', 'notes.txt')).toContain('TWO from second');
    });
  });

  describe('with two tasks editing different parts of one file', () => {
    it('merges both cleanly and warns about the overlap', async () => {
      const signal = createSignalFile();
      const { report } = await runWithStub(
        repo,
        [
          { id: 'top', prompt: '@replace notes.txt line 1 = ONE' },
          { id: 'bottom', prompt: `@wait-for ${signal.path}\n@replace notes.txt line 5 = FIVE` },
        ],
        {},
        { onEvent: fireWhenIntegrated('top', signal) },
      );
      expect(report.tasks.map((task) => task.state)).toEqual(['integrated', 'integrated']);
      expect(show('cluster/r1/integration', 'notes.txt')).toBe('ONE\ntwo\nthree\nfour\nFIVE');
      expect(report.overlaps).toEqual([{ file: 'notes.txt', tasks: ['top', 'bottom'] }]);
    });
  });

  describe('with a failing task', () => {
    it('skips its dependents with the reason, lands the independent tasks and keeps its partial work', async () => {
      const { report } = await runWithStub(repo, [
        { id: 'broken', prompt: '@write half.txt = half done\n@fail compiler exploded' },
        { id: 'needs-broken', prompt: '@write x.txt = x', depends_on: ['broken'] },
        { id: 'needs-needs', prompt: '@write y.txt = y', depends_on: ['needs-broken'] },
        { id: 'independent', prompt: '@write z.txt = z' },
      ]);
      expect(outcome(report, 'broken').state).toBe('failed');
      expect(outcome(report, 'broken').reason).toMatch(/compiler exploded/);
      expect(outcome(report, 'needs-broken')).toMatchObject({
        state: 'skipped',
        reason: 'depends on `broken`, which failed',
      });
      expect(outcome(report, 'needs-needs')).toMatchObject({ state: 'skipped' });
      expect(outcome(report, 'needs-needs').reason).toMatch(/depends on `needs-broken`, which was skipped/);
      expect(outcome(report, 'independent').state).toBe('integrated');
      expect(show('cluster/r1/tasks/broken', 'half.txt')).toBe('half done');
      expect(() => show('cluster/r1/integration', 'half.txt')).toThrow();
      expect(repo.git('branch', '--list', 'cluster/r1/tasks/needs-broken')).toBe('');
    });
  });

  describe('with a task that runs past its timeout', () => {
    it('stops the agent, fails the task and keeps what it wrote before', async () => {
      const { report } = await runWithStub(
        repo,
        [{ id: 'slow', prompt: '@write started.txt = started\n@child-sleep 30' }],
        { task_timeout_minutes: 1 / 60 },
      );
      const slow = outcome(report, 'slow');
      expect(slow.state).toBe('failed');
      expect(slow.reason).toMatch(/timed out/);
      expect(show('cluster/r1/tasks/slow', 'started.txt')).toBe('started');
    });
  });

  describe('with a verify command', () => {
    it('runs it on the integration branch after the last merge and reports the result', async () => {
      const { report } = await runWithStub(repo, [{ id: 'add', prompt: '@write ok.txt = fine' }], {
        verify: 'test "$(cat ok.txt)" = fine && echo verified',
      });
      expect(report.verify).toMatchObject({ passed: true, exitCode: 0 });
      expect(report.verify?.outputTail).toContain('verified');
    });

    it('reports a failing verify with its output', async () => {
      const { report } = await runWithStub(repo, [{ id: 'add', prompt: '@write ok.txt = fine' }], {
        verify: 'echo "2 tests failed" && exit 3',
      });
      expect(report.verify).toMatchObject({ passed: false, exitCode: 3 });
      expect(report.verify?.outputTail).toContain('2 tests failed');
    });
  });

  describe('when the run budget is spent', () => {
    it('starts no further task and skips the rest with the reason', async () => {
      const { report } = await runWithStub(
        repo,
        [
          { id: 'one', prompt: '@cost 0.6\n@write one.txt = 1' },
          { id: 'two', prompt: '@cost 0.6\n@write two.txt = 2', depends_on: ['one'] },
          { id: 'three', prompt: '@cost 0.6\n@write three.txt = 3', depends_on: ['two'] },
        ],
        { budget: { per_task_usd: 1, per_run_usd: 1 } },
      );
      expect(report.tasks.map((task) => task.state)).toEqual(['integrated', 'integrated', 'skipped']);
      expect(outcome(report, 'one').costUsd).toBe(0.6);
      expect(outcome(report, 'three').reason).toBe(
        "the run's budget of $1 was spent before this task started",
      );
    });
  });

  describe('when the run is cancelled', () => {
    it('stops the running agents, records them and skips the rest, removing every worktree', async () => {
      const controller = new AbortController();
      const run = runWithStub(
        repo,
        [
          { id: 'long', prompt: '@write wip.txt = wip\n@child-sleep 30' },
          { id: 'after', prompt: '@write after.txt = after', depends_on: ['long'] },
        ],
        {},
        {
          signal: controller.signal,
          // Cancel once the agent is well into its work (it wrote its file, then waits on a child process).
          onEvent: (event) => {
            if (event.type === 'task-state' && event.state === 'running')
              setTimeout(() => controller.abort(), 2000);
          },
        },
      );
      const { report } = await run;
      expect(outcome(report, 'long').state).toBe('failed');
      expect(outcome(report, 'after').state).toBe('skipped');
      expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
      expect(show('cluster/r1/tasks/long', 'wip.txt')).toBe('wip');
    });
  });

  describe('before changing anything', () => {
    it('refuses a dirty working tree', async () => {
      repo.git('config', 'core.autocrlf', 'false');
      await import('node:fs').then((fs) => fs.writeFileSync(`${repo.dir}/notes.txt`, 'edited\n'));
      await expect(runWithStub(repo, [{ id: 'a', prompt: '@write a = a' }])).rejects.toThrow(
        /uncommitted changes/,
      );
      expect(repo.git('branch', '--list', 'cluster/*')).toBe('');
    });

    it('refuses a run id whose branches already exist', async () => {
      await runWithStub(repo, [{ id: 'a', prompt: '@write a.txt = a' }]);
      await expect(runWithStub(repo, [{ id: 'a', prompt: '@write a.txt = a' }])).rejects.toThrow(
        /already has branches.*another --run-id/,
      );
    });

    it('refuses a branch that would have to be a directory too', async () => {
      repo.git('branch', 'cluster/r1');
      await expect(runWithStub(repo, [{ id: 'a', prompt: '@write a.txt = a' }])).rejects.toThrow(
        /branch `cluster\/r1` exists/,
      );
    });
  });
});
