import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../core/plan/plan-schema.ts';
import { globsOverlap } from '../../core/schedule/globs-overlap.ts';
import { computeRemainingPaths } from '../../core/schedule/remaining-path.ts';
import { createScheduler, pickTasksToStart } from '../../core/schedule/schedule-tasks.ts';
import { arbitraryPlan } from './arbitrary-plan.ts';

// The rule as the issue states it, written the slow and obvious way.
function referencePick(
  plan: Plan,
  done: Set<string>,
  running: Set<string>,
  blocked: Set<string>,
  slots: number,
) {
  const remaining = computeRemainingPaths(plan);
  const ready = plan.tasks
    .map((task, position) => ({ task, position }))
    .filter(({ task }) => !done.has(task.id) && !running.has(task.id) && !blocked.has(task.id))
    .filter(({ task }) => task.depends_on.every((dependency) => done.has(dependency)))
    .sort((a, b) => remaining.get(b.task.id)! - remaining.get(a.task.id)! || a.position - b.position)
    .map(({ task }) => task);
  const busy = plan.tasks.filter((task) => running.has(task.id));
  const picked: typeof busy = [];
  while (picked.length < slots && ready.length > 0) {
    const free = ready.findIndex(
      (task) => ![...busy, ...picked].some((other) => globsOverlap(task.files, other.files)),
    );
    picked.push(ready.splice(Math.max(free, 0), 1)[0]!);
  }
  return picked.map((task) => task.id);
}

function dependentsOf(plan: Plan, id: string): Set<string> {
  const found = new Set<string>();
  const visit = (from: string) => {
    for (const task of plan.tasks) {
      if (task.depends_on.includes(from) && !found.has(task.id)) {
        found.add(task.id);
        visit(task.id);
      }
    }
  };
  visit(id);
  return found;
}

describe('createScheduler during a random run', () => {
  const run = fc.record({
    plan: arbitraryPlan({ withFiles: true }),
    parallel: fc.integer({ min: 1, max: 4 }),
    // Which running task finishes next, and whether it fails (a multiple of 5).
    events: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
  });

  it('picks what pickTasksToStart and the rule as stated pick, never early, never beyond the slots', () => {
    fc.assert(
      fc.property(run, ({ plan, parallel, events }) => {
        const scheduler = createScheduler(plan);
        const done = new Set<string>();
        const running = new Set<string>();
        const blocked = new Set<string>();
        for (let step = 0; ; step++) {
          const slots = parallel - running.size;
          const expected = referencePick(plan, done, running, blocked, slots);
          expect(pickTasksToStart({ plan, done, running, blocked, slots })).toEqual(expected);
          // Half the steps let the scheduler track running tasks itself.
          const started = scheduler.next(slots, step % 2 === 0 ? running : undefined);
          expect(started).toEqual(expected);
          for (const id of started) {
            const task = plan.tasks.find((candidate) => candidate.id === id)!;
            expect(task.depends_on.every((dependency) => done.has(dependency))).toBe(true);
            running.add(id);
          }
          expect(running.size).toBeLessThanOrEqual(parallel);
          if (running.size === 0) break;
          const event = events[step % events.length]!;
          const finished = [...running][event % running.size]!;
          running.delete(finished);
          if (event % 5 === 0) {
            const expectedBlocked = [...dependentsOf(plan, finished)].filter((id) => !blocked.has(id));
            const newlyBlocked = scheduler.block(finished);
            expect(new Set(newlyBlocked)).toEqual(new Set(expectedBlocked));
            for (const id of [finished, ...newlyBlocked]) blocked.add(id);
          } else {
            scheduler.complete(finished);
            done.add(finished);
          }
        }
        expect(scheduler.settled).toBe(true);
        expect(done.size + blocked.size).toBe(plan.tasks.length);
      }),
    );
  });
});
