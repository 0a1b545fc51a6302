import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import type { LedgerRecord } from '../../core/integrate/read-ledger.ts';
import { deriveRunState } from '../../core/orchestrate/derive-run-state.ts';
import { formatDispatchRecord } from '../../core/orchestrate/dispatch-record.ts';
import { issueNumberOfRunId, runIdForTrigger } from '../../core/orchestrate/run-id.ts';
import { assertValidPlan } from '../../core/plan/validate-plan.ts';

const plan = assertValidPlan({
  tasks: [
    { id: 'db', title: 'DB', prompt: 'x' },
    { id: 'api', title: 'API', prompt: 'x', depends_on: ['db'] },
    { id: 'ui', title: 'UI', prompt: 'x', depends_on: ['api'] },
    { id: 'docs', title: 'Docs', prompt: 'x' },
  ],
});
const config = ConfigSchema.parse({ max_parallel: 4 });
let commit = 0;
const start: LedgerRecord = {
  event: 'start',
  run: 'r',
  base: 'main',
  baseCommit: 'b',
  title: 't',
  ledgerCommit: 'c0',
};
const task = (id: string, status: 'integrated' | 'failed' | 'conflicted' | 'skipped'): LedgerRecord => ({
  event: 'task',
  run: 'r',
  task: id,
  status,
  branch: '',
  files: [],
  conflicts: [],
  resolution: 'none',
  ledgerCommit: `c${++commit}`,
});
const dispatch = (token: string, ...tasks: [id: string, attempt: number][]): LedgerRecord => ({
  event: 'dispatch',
  run: 'r',
  excerpt: formatDispatchRecord({
    token: token.padEnd(16, '0'),
    tasks: tasks.map(([id, attempt]) => ({ id, attempt })),
  }),
  ledgerCommit: `c${++commit}`,
});
const control = (event: 'approve' | 'cancel' | 'retry' | 'close', taskId?: string): LedgerRecord => ({
  event,
  run: 'r',
  ...(taskId ? { task: taskId } : {}),
  ledgerCommit: `c${++commit}`,
});

describe('deriveRunState', () => {
  describe('for a new run', () => {
    it('makes the tasks without dependencies ready, in critical-path order', () => {
      const state = deriveRunState(plan, [start], config);
      expect(state.ready).toEqual(['db', 'docs']);
      expect(state.finished).toBe(false);
    });
  });

  describe('with dispatched tasks', () => {
    it('counts recorded dispatches as running and does not dispatch them again', () => {
      const state = deriveRunState(plan, [start, dispatch('a', ['db', 1], ['docs', 1])], config);
      expect(state.inFlight).toEqual(['db', 'docs']);
      expect(state.tasks.get('db')?.dispatch?.token).toBe('a'.padEnd(16, '0'));
      expect(state.ready).toEqual([]);
    });

    it('respects max_parallel', () => {
      const state = deriveRunState(
        plan,
        [start, dispatch('a', ['db', 1])],
        ConfigSchema.parse({ max_parallel: 1 }),
      );
      expect(state.ready).toEqual([]);
    });
  });

  describe('with two dispatch entries for the same task (two orchestrators raced)', () => {
    it('gives the task to the first entry; the later one owns nothing', () => {
      const state = deriveRunState(plan, [start, dispatch('a', ['db', 1]), dispatch('b', ['db', 1])], config);
      expect(state.tasks.get('db')?.dispatch?.token).toBe('a'.padEnd(16, '0'));
    });
  });

  describe('when a task lands', () => {
    it('makes its dependents ready', () => {
      const state = deriveRunState(plan, [start, dispatch('a', ['db', 1]), task('db', 'integrated')], config);
      expect(state.ready).toEqual(['api', 'docs']);
    });
  });

  describe('when a task fails', () => {
    it('skips its dependents transitively with the reason, and still runs independent tasks', () => {
      const state = deriveRunState(plan, [start, dispatch('a', ['db', 1]), task('db', 'failed')], config);
      expect(state.toSkip).toEqual([
        { id: 'api', reason: 'depends on `db`, which failed' },
        { id: 'ui', reason: 'depends on `api`, which was skipped' },
      ]);
      expect(state.ready).toEqual(['docs']);
    });
  });

  describe('when every task has an outcome', () => {
    it('is finished', () => {
      const ledger = [
        start,
        task('db', 'failed'),
        task('api', 'skipped'),
        task('ui', 'skipped'),
        task('docs', 'integrated'),
      ];
      expect(deriveRunState(plan, ledger, config).finished).toBe(true);
    });
  });

  describe('after /cluster retry', () => {
    it('runs the task again as its second attempt, which the first dispatch does not own', () => {
      const ledger = [
        start,
        dispatch('a', ['db', 1]),
        task('db', 'failed'),
        task('api', 'skipped'),
        control('retry', 'db'),
        control('retry', 'api'),
      ];
      const state = deriveRunState(plan, ledger, config);
      expect(state.tasks.get('db')).toMatchObject({ state: 'pending', attempt: 2 });
      expect(state.tasks.get('db')?.dispatch).toBeUndefined();
      expect(state.ready).toContain('db');
      expect(state.toSkip).toEqual([]);
      const redispatched = deriveRunState(plan, [...ledger, dispatch('b', ['db', 2])], config);
      expect(redispatched.tasks.get('db')).toMatchObject({ state: 'running', attempt: 2 });
    });
  });

  describe('with approval: plan', () => {
    it('starts nothing before /cluster approve, everything ready after', () => {
      const gated = ConfigSchema.parse({ approval: 'plan' });
      expect(deriveRunState(plan, [start], gated).ready).toEqual([]);
      expect(deriveRunState(plan, [start, control('approve')], gated).ready).toEqual(['db', 'docs']);
    });
  });

  describe('after /cluster cancel', () => {
    it('starts nothing more', () => {
      expect(deriveRunState(plan, [start, control('cancel')], config).ready).toEqual([]);
    });
  });

  describe('after its pull request was closed unmerged', () => {
    it('is closed and starts nothing more', () => {
      const state = deriveRunState(plan, [start, control('close')], config);
      expect(state.closed).toBe(true);
      expect(state.ready).toEqual([]);
    });
  });
});

describe('runIdForTrigger', () => {
  it('names the same run for the same trigger and another run for another trigger', () => {
    expect(runIdForTrigger(42, 'comment-1')).toBe(runIdForTrigger(42, 'comment-1'));
    expect(runIdForTrigger(42, 'comment-1')).not.toBe(runIdForTrigger(42, 'comment-2'));
    expect(issueNumberOfRunId(runIdForTrigger(42, 'comment-1'))).toBe(42);
  });
});
