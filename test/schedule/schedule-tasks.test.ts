import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors/errors.ts';
import type { Plan } from '../../core/plan/plan-schema.ts';
import { createScheduler, pickTasksToStart } from '../../core/schedule/schedule-tasks.ts';
import { planOf } from './arbitrary-plan.ts';

const none = new Set<string>();

function pick(
  plan: Plan,
  slots: number,
  state: { done?: string[]; running?: string[]; blocked?: string[] } = {},
) {
  return pickTasksToStart({
    plan,
    slots,
    done: new Set(state.done),
    running: new Set(state.running),
    blocked: new Set(state.blocked),
  });
}

describe('pickTasksToStart', () => {
  describe('on a chain a → b → c', () => {
    const chain = planOf({ a: [], b: ['a'], c: ['b'] });

    it('starts only the task whose dependencies are done, however many slots are free', () => {
      expect(pick(chain, 3)).toEqual(['a']);
      expect(pick(chain, 3, { done: ['a'] })).toEqual(['b']);
    });

    it('starts nothing while the only ready task runs', () => {
      expect(pick(chain, 3, { done: ['a'], running: ['b'] })).toEqual([]);
    });
  });

  describe('on a fork and join', () => {
    const fork = planOf(
      { root: [], short: ['root'], long: ['root'], mid: ['root'], join: ['short', 'long', 'mid'] },
      { estimates: { short: 1, long: 8, mid: 4 } },
    );

    it('starts the branch with the longest remaining path first', () => {
      expect(pick(fork, 1, { done: ['root'] })).toEqual(['long']);
      expect(pick(fork, 3, { done: ['root'] })).toEqual(['long', 'mid', 'short']);
    });

    it('waits for every branch before the join', () => {
      expect(pick(fork, 2, { done: ['root', 'long', 'mid'] })).toEqual(['short']);
    });
  });

  it('breaks ties in plan order', () => {
    expect(pick(planOf({ c: [], a: [], b: [] }), 3)).toEqual(['c', 'a', 'b']);
  });

  it('follows a given priority instead of the remaining path', () => {
    const plan = planOf({ a: [], b: [] }, { estimates: { a: 5 } });
    const priority = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    expect(pickTasksToStart({ plan, done: none, running: none, blocked: none, slots: 2, priority })).toEqual([
      'b',
      'a',
    ]);
  });

  it('never starts a blocked task', () => {
    expect(pick(planOf({ a: [], b: [] }), 2, { blocked: ['a'] })).toEqual(['b']);
  });

  describe('with overlapping files', () => {
    const plan = planOf(
      { api: [], users: [], docs: [] },
      {
        estimates: { users: 5, docs: 1 },
        files: { api: ['src/api/'], users: ['src/api/users.ts'], docs: ['docs/**'] },
      },
    );

    it('passes over a task that overlaps a running one while another ready task does not', () => {
      expect(pick(plan, 1, { running: ['api'] })).toEqual(['docs']);
    });

    it('still fills the slot with the best task when every ready task overlaps', () => {
      expect(pick(plan, 1, { running: ['api'], done: ['docs'] })).toEqual(['users']);
    });

    it('starts the free task first, then fills the remaining slot with the overlapping one', () => {
      expect(pick(plan, 2, { running: ['api'] })).toEqual(['docs', 'users']);
    });

    it('keeps apart two tasks picked in the same call', () => {
      expect(pick(plan, 2, { done: ['docs'] })).toEqual(['users', 'api']);
      const three = planOf(
        { wide: [], narrow: [], other: [] },
        {
          estimates: { wide: 3, narrow: 2 },
          files: { wide: ['src/**'], narrow: ['src/x.ts'], other: ['docs/'] },
        },
      );
      expect(pick(three, 2)).toEqual(['wide', 'other']);
    });

    it('never keeps apart a task that names no files', () => {
      const unnamed = planOf({ any: [], named: [] }, { estimates: { named: 2 }, files: { named: ['**'] } });
      expect(pick(unnamed, 1, { running: [] })).toEqual(['named']);
      expect(
        pick(planOf({ any: [], other: [] }, { files: { other: ['**'] } }), 1, { running: ['other'] }),
      ).toEqual(['any']);
    });
  });

  it('gives the same answer whatever the order of the sets', () => {
    const plan = planOf(
      { a: [], b: ['a'], c: ['a'], d: [], e: ['d'], f: [] },
      { files: { b: ['src/**'], c: ['src/c.ts'], e: ['lib/'], f: ['lib/f.ts'] } },
    );
    fc.assert(
      fc.property(fc.shuffledSubarray(['a', 'd']), fc.shuffledSubarray(['b', 'e', 'f']), (done, started) => {
        // Only tasks whose dependencies are done can be running.
        const running = started.filter((id) => id === 'f' || done.includes(id === 'b' ? 'a' : 'd'));
        const forward = pick(plan, 2, { done, running });
        const backward = pick(plan, 2, { done: [...done].reverse(), running: [...running].reverse() });
        expect(backward).toEqual(forward);
      }),
    );
  });

  describe('with invalid input', () => {
    it('refuses ids that are not in the plan, naming each', () => {
      const act = () => pick(planOf({ a: [] }), 1, { done: ['zz'], running: ['yy'] });
      expect(act).toThrow(InputError);
      expect(act).toThrow(/done names task `zz`[\s\S]*running names task `yy`/);
    });

    it('refuses a slot count that is not a whole number, 0 or more', () => {
      expect(() => pick(planOf({ a: [] }), -1)).toThrow(/slots is -1/);
      expect(() => pick(planOf({ a: [] }), 1.5)).toThrow(/slots is 1.5/);
    });

    it('refuses a priority map that misses a task', () => {
      const plan = planOf({ a: [], b: [] });
      const act = () =>
        pickTasksToStart({
          plan,
          done: none,
          running: none,
          blocked: none,
          slots: 1,
          priority: new Map([['a', 1]]),
        });
      expect(act).toThrow(/priority of task `b` is undefined/);
    });
  });
});

describe('createScheduler', () => {
  describe('on a diamond a → (b, c) → d plus an independent e', () => {
    const diamond = () => createScheduler(planOf({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] }));

    it('hands out each task once, as its dependencies complete', () => {
      const scheduler = diamond();
      expect(scheduler.next(4)).toEqual(['a', 'e']);
      expect(scheduler.next(4)).toEqual([]);
      scheduler.complete('a');
      expect(scheduler.next(1)).toEqual(['b']);
      expect(scheduler.next(1)).toEqual(['c']);
      scheduler.complete('b');
      expect(scheduler.next(4)).toEqual([]);
      scheduler.complete('c');
      expect(scheduler.next(4)).toEqual(['d']);
    });

    it('blocks the transitive dependents of a failed task and reports them in plan order', () => {
      const scheduler = diamond();
      scheduler.next(4);
      expect(scheduler.block('a')).toEqual(['b', 'c', 'd']);
      scheduler.complete('e');
      expect(scheduler.next(4)).toEqual([]);
      expect(scheduler.settled).toBe(true);
    });

    it('does not report again a dependent an earlier failure blocked', () => {
      const scheduler = diamond();
      scheduler.next(4);
      scheduler.complete('a');
      scheduler.next(4);
      expect(scheduler.block('b')).toEqual(['d']);
      expect(scheduler.block('c')).toEqual([]);
      expect(scheduler.settled).toBe(false);
      scheduler.complete('e');
      expect(scheduler.settled).toBe(true);
    });

    it('accepts tasks completed before they were handed out, as when resuming a run', () => {
      const scheduler = diamond();
      scheduler.complete('a');
      scheduler.complete('e');
      expect(scheduler.next(4)).toEqual(['b', 'c']);
    });

    it('treats tasks the caller says are running as started', () => {
      const scheduler = diamond();
      expect(scheduler.next(4, new Set(['e']))).toEqual(['a']);
    });

    it('refuses to complete a task twice, a blocked task or an unknown one', () => {
      const scheduler = diamond();
      scheduler.next(4);
      scheduler.complete('a');
      expect(() => scheduler.complete('a')).toThrow(/task `a` is already complete/);
      scheduler.block('b');
      expect(() => scheduler.complete('d')).toThrow(/task `d` is blocked and cannot complete/);
      expect(() => scheduler.complete('zz')).toThrow(/cannot complete task `zz`: it is not in the plan/);
      expect(() => scheduler.block('a')).toThrow(/task `a` is complete and cannot be blocked/);
    });
  });

  it('keeps a started task with overlapping files apart from the next picks', () => {
    const plan = planOf(
      { api: [], users: [], docs: [] },
      {
        estimates: { api: 3, users: 2 },
        files: { api: ['src/api/**'], users: ['src/api/u.ts'], docs: ['docs/'] },
      },
    );
    const scheduler = createScheduler(plan);
    expect(scheduler.next(1)).toEqual(['api']);
    expect(scheduler.next(1)).toEqual(['docs']);
    expect(scheduler.next(1)).toEqual(['users']);
  });
});
