import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors/errors.ts';
import type { Plan } from '../../core/plan/plan-schema.ts';
import { computeRemainingPaths } from '../../core/schedule/remaining-path.ts';
import { arbitraryPlan, planOf } from './arbitrary-plan.ts';

// The definition, by plain recursion over every path: slow, but obviously right on small plans.
function longestPathFrom(plan: Plan, id: string): number {
  const task = plan.tasks.find((candidate) => candidate.id === id)!;
  const dependents = plan.tasks.filter((candidate) => candidate.depends_on.includes(id));
  return (
    (task.estimate ?? 1) + Math.max(0, ...dependents.map((dependent) => longestPathFrom(plan, dependent.id)))
  );
}

describe('computeRemainingPaths', () => {
  describe('on a chain a → b → c', () => {
    it('counts each task and everything after it, estimates defaulting to 1', () => {
      const plan = planOf({ a: [], b: ['a'], c: ['b'] }, { estimates: { a: 2, c: 5 } });
      expect(computeRemainingPaths(plan)).toEqual(
        new Map([
          ['a', 8],
          ['b', 6],
          ['c', 5],
        ]),
      );
    });
  });

  describe('on a fork and join', () => {
    it('follows the longest branch', () => {
      const plan = planOf(
        { root: [], long: ['root'], short: ['root'], join: ['long', 'short'] },
        { estimates: { long: 10, short: 1 } },
      );
      const remaining = computeRemainingPaths(plan);
      expect(remaining.get('root')).toBe(12);
      expect(remaining.get('short')).toBe(2);
      expect(remaining.get('join')).toBe(1);
    });
  });

  it('matches the longest path found by enumerating every path', () => {
    fc.assert(
      fc.property(arbitraryPlan({ maxTasks: 9 }), (plan) => {
        const remaining = computeRemainingPaths(plan);
        for (const task of plan.tasks) expect(remaining.get(task.id)).toBe(longestPathFrom(plan, task.id));
      }),
    );
  });

  describe('on a plan that is not a DAG', () => {
    it('refuses a cycle and names the tasks on it', () => {
      const plan = planOf({ a: ['b'], b: ['a'], c: [] });
      expect(() => computeRemainingPaths(plan)).toThrow(InputError);
      expect(() => computeRemainingPaths(plan)).toThrow(/`a`, `b` depend on each other in a cycle/);
    });

    it('refuses an unknown dependency and names both tasks', () => {
      expect(() => computeRemainingPaths(planOf({ api: ['db'] }))).toThrow(
        /task `api` depends on `db`, which is not in the plan/,
      );
    });
  });
});
