import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors/errors.ts';
import type { Plan } from '../../core/plan/plan-schema.ts';
import { computeRemainingPaths } from '../../core/schedule/remaining-path.ts';
import {
  lowerBound,
  type SimulationOptions,
  simulateSchedule,
} from '../../core/schedule/simulate-schedule.ts';
import { arbitraryPlan, planOf } from './arbitrary-plan.ts';

const policies: SimulationOptions['policy'][] = ['critical-path', 'level-wave'];

// A plan, a slot count and real durations that may differ from the estimates.
const scenario = fc
  .record({
    plan: arbitraryPlan({ maxTasks: 15, withFiles: true }),
    parallel: fc.integer({ min: 1, max: 5 }),
    seeds: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 15 }),
  })
  .map(({ plan, parallel, seeds }) => ({
    plan,
    parallel,
    durations: new Map(plan.tasks.map((task, position) => [task.id, seeds[position % seeds.length]!])),
  }));

function durationOf(plan: Plan, durations: ReadonlyMap<string, number> | undefined, id: string): number {
  return durations?.get(id) ?? plan.tasks.find((task) => task.id === id)!.estimate ?? 1;
}

describe('simulateSchedule', () => {
  describe('with the critical-path policy', () => {
    it('runs the longest branch first, so a fork of one long and two short tasks takes the long one', () => {
      const plan = planOf({ a: [], b: [], long: [] }, { estimates: { long: 4 } });
      const { makespan, starts } = simulateSchedule(plan, { parallel: 2, policy: 'critical-path' });
      expect(makespan).toBe(4);
      expect(starts).toEqual(
        new Map([
          ['long', 0],
          ['a', 0],
          ['b', 1],
        ]),
      );
    });

    it('plans with the estimates but runs with the real durations', () => {
      const plan = planOf({ a: [], b: ['a'] }, { estimates: { a: 1, b: 1 } });
      const durations = new Map([['a', 3]]);
      expect(simulateSchedule(plan, { parallel: 1, durations, policy: 'critical-path' }).makespan).toBe(4);
    });
  });

  describe('with the level-wave policy', () => {
    it('waits for a whole wave before starting the next', () => {
      // b (depth 1) could start at 1 after a, but waits for the slow c of wave 0.
      const plan = planOf({ a: [], c: [], b: ['a'] }, { estimates: { c: 5 } });
      const { makespan, starts } = simulateSchedule(plan, { parallel: 2, policy: 'level-wave' });
      expect(starts.get('b')).toBe(5);
      expect(makespan).toBe(6);
      expect(simulateSchedule(plan, { parallel: 2, policy: 'critical-path' }).makespan).toBe(5);
    });
  });

  describe.each(policies)('as a property, with the %s policy', (policy) => {
    it('starts every task after its dependencies finish and schedules every task', () => {
      fc.assert(
        fc.property(scenario, ({ plan, parallel, durations }) => {
          const { starts } = simulateSchedule(plan, { parallel, durations, policy });
          expect(starts.size).toBe(plan.tasks.length);
          for (const task of plan.tasks) {
            for (const dependency of task.depends_on) {
              const finished = starts.get(dependency)! + durationOf(plan, durations, dependency);
              expect(starts.get(task.id)!).toBeGreaterThanOrEqual(finished);
            }
          }
        }),
      );
    });

    it('never runs more tasks at once than there are slots', () => {
      fc.assert(
        fc.property(scenario, ({ plan, parallel, durations }) => {
          const { starts } = simulateSchedule(plan, { parallel, durations, policy });
          const spans = [...starts].map(([id, start]) => ({
            start,
            end: start + durationOf(plan, durations, id),
          }));
          for (const { start } of spans) {
            expect(
              spans.filter((span) => span.start <= start && start < span.end).length,
            ).toBeLessThanOrEqual(parallel);
          }
        }),
      );
    });

    it('ends when the last task finishes, never before the lower bound', () => {
      fc.assert(
        fc.property(scenario, ({ plan, parallel, durations }) => {
          const { makespan, starts } = simulateSchedule(plan, { parallel, durations, policy });
          const ends = [...starts].map(([id, start]) => start + durationOf(plan, durations, id));
          expect(makespan).toBe(Math.max(...ends));
          expect(makespan).toBeGreaterThanOrEqual(lowerBound(plan, parallel, durations));
        }),
      );
    });

    it('takes exactly the total work on one slot', () => {
      fc.assert(
        fc.property(scenario, ({ plan, durations }) => {
          const work = plan.tasks.reduce((sum, task) => sum + durationOf(plan, durations, task.id), 0);
          expect(simulateSchedule(plan, { parallel: 1, durations, policy }).makespan).toBe(work);
        }),
      );
    });
  });

  describe('as a property, with the critical-path policy', () => {
    it("stays within Graham's bound for list schedules: work / slots + (1 − 1 / slots) × critical path", () => {
      fc.assert(
        fc.property(scenario, ({ plan, parallel, durations }) => {
          const { makespan } = simulateSchedule(plan, { parallel, durations, policy: 'critical-path' });
          const work = plan.tasks.reduce((sum, task) => sum + durationOf(plan, durations, task.id), 0);
          const longest = lowerBound(plan, Number.MAX_SAFE_INTEGER, durations);
          expect(makespan).toBeLessThanOrEqual(work / parallel + (1 - 1 / parallel) * longest + 1e-9);
        }),
      );
    });

    it('finishes with the critical path when there are as many slots as tasks', () => {
      fc.assert(
        fc.property(arbitraryPlan({ withFiles: true }), (plan) => {
          const { makespan } = simulateSchedule(plan, {
            parallel: plan.tasks.length,
            policy: 'critical-path',
          });
          expect(makespan).toBe(Math.max(...computeRemainingPaths(plan).values()));
        }),
      );
    });
  });

  it('gives the same starts on every run of the same input', () => {
    fc.assert(
      fc.property(scenario, ({ plan, parallel, durations }) => {
        const first = simulateSchedule(plan, { parallel, durations, policy: 'critical-path' });
        const second = simulateSchedule(plan, {
          parallel,
          durations: new Map(durations),
          policy: 'critical-path',
        });
        expect([...second.starts]).toEqual([...first.starts]);
      }),
    );
  });

  describe('with invalid options', () => {
    it('refuses a slot count below 1 and a negative or unknown duration, naming each', () => {
      const act = () =>
        simulateSchedule(planOf({ a: [] }), {
          parallel: 0,
          durations: new Map([
            ['a', -1],
            ['zz', 1],
          ]),
          policy: 'critical-path',
        });
      expect(act).toThrow(InputError);
      expect(act).toThrow(/parallel is 0[\s\S]*duration of task `a` is -1[\s\S]*durations name task `zz`/);
    });
  });
});

describe('lowerBound', () => {
  it('is the critical path when slots are plentiful', () => {
    const plan = planOf({ a: [], b: ['a'], c: [] }, { estimates: { a: 2, b: 3, c: 1 } });
    expect(lowerBound(plan, 4)).toBe(5);
  });

  it('is the work spread over the slots when tasks are independent', () => {
    const plan = planOf({ a: [], b: [], c: [], d: [] }, { estimates: { a: 2, b: 2, c: 2, d: 2 } });
    expect(lowerBound(plan, 2)).toBe(4);
  });
});
