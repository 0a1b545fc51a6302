import { InputError } from '../errors/errors.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { BinaryHeap } from './binary-heap.ts';
import { indexPlan, type PlanIndex } from './index-plan.ts';
import { remainingPathsOf } from './remaining-path.ts';
import { createScheduler } from './schedule-tasks.ts';

/** How to run a simulated schedule. */
export interface SimulationOptions {
  /** Tasks that may run at once; a whole number, 1 or more. */
  parallel: number;
  /** Real duration per task id; tasks not named take their estimate (default 1). */
  durations?: ReadonlyMap<string, number>;
  /**
   * `critical-path`: the scheduler of `createScheduler`, which knows only the plan's estimates.
   * `level-wave`: the baseline; tasks grouped by depth (longest dependency chain above them), each wave
   * started when the previous one has entirely finished, up to `parallel` at once in plan order.
   * The baseline ignores file globs.
   */
  policy: 'critical-path' | 'level-wave';
}

/** Outcome of a simulated run. */
export interface SimulationResult {
  /** Time at which the last task finishes. */
  makespan: number;
  /** Start time of every task by id. */
  starts: Map<string, number>;
}

/**
 * Runs `plan` in simulated time: an event-driven loop that starts tasks whenever slots are free and
 * advances to the next finish. Deterministic; O((V + E) log V) for the critical-path policy.
 */
export function simulateSchedule(plan: Plan, options: SimulationOptions): SimulationResult {
  const index = indexPlan(plan);
  const durations = durationsOf(index, options.parallel, options.durations);
  return options.policy === 'critical-path'
    ? simulateCriticalPath(plan, index, options.parallel, durations)
    : simulateLevelWaves(index, options.parallel, durations);
}

/**
 * No schedule on `parallel` slots can finish sooner than the longest dependency chain (by duration) nor
 * sooner than the total work spread evenly over the slots; this is the larger of the two.
 */
export function lowerBound(plan: Plan, parallel: number, durations?: ReadonlyMap<string, number>): number {
  const index = indexPlan(plan);
  const real = durationsOf(index, parallel, durations);
  const criticalPath = remainingPathsOf(index, real).reduce((longest, path) => Math.max(longest, path), 0);
  const work = real.reduce((sum, duration) => sum + duration, 0);
  return Math.max(criticalPath, work / parallel);
}

function simulateCriticalPath(
  plan: Plan,
  index: PlanIndex,
  parallel: number,
  durations: readonly number[],
): SimulationResult {
  const scheduler = createScheduler(plan);
  const starts = new Map<string, number>();
  // Finishes at the same time complete in plan order, so runs do not depend on heap internals.
  const finishes = new BinaryHeap<{ time: number; position: number }>(
    (a, b) => a.time < b.time || (a.time === b.time && a.position < b.position),
  );
  let now = 0;
  for (;;) {
    for (const id of scheduler.next(parallel - finishes.size)) {
      const position = index.positionOf.get(id)!;
      starts.set(id, now);
      finishes.push({ time: now + durations[position]!, position });
    }
    const first = finishes.peek();
    if (first === undefined) break;
    now = first.time;
    while (finishes.peek()?.time === now) scheduler.complete(index.ids[finishes.pop()!.position]!);
  }
  return { makespan: now, starts };
}

function simulateLevelWaves(
  index: PlanIndex,
  parallel: number,
  durations: readonly number[],
): SimulationResult {
  const depth = index.ids.map(() => 0);
  for (const position of index.topologicalOrder) {
    for (const dependency of index.dependencies[position]!) {
      depth[position] = Math.max(depth[position]!, depth[dependency]! + 1);
    }
  }
  // Every depth from 0 to the deepest has at least one task, so no wave is empty.
  const waves: number[][] = Array.from(
    { length: depth.reduce((deepest, level) => Math.max(deepest, level + 1), 0) },
    () => [],
  );
  depth.forEach((level, position) => {
    waves[level]!.push(position);
  });
  const starts = new Map<string, number>();
  let waveStart = 0;
  for (const wave of waves) {
    // Each slot's next free time; every task takes the slot that frees first.
    const slots = new BinaryHeap<number>((a, b) => a < b);
    for (let slot = 0; slot < parallel; slot++) slots.push(waveStart);
    let waveEnd = waveStart;
    for (const position of wave) {
      const start = slots.pop()!;
      const end = start + durations[position]!;
      starts.set(index.ids[position]!, start);
      slots.push(end);
      waveEnd = Math.max(waveEnd, end);
    }
    waveStart = waveEnd;
  }
  return { makespan: waveStart, starts };
}

function durationsOf(index: PlanIndex, parallel: number, durations?: ReadonlyMap<string, number>): number[] {
  const problems: string[] = [];
  if (!Number.isInteger(parallel) || parallel < 1) {
    problems.push(`parallel is ${parallel}; give a whole number of slots, 1 or more`);
  }
  for (const [id, duration] of durations ?? []) {
    if (!index.positionOf.has(id))
      problems.push(`durations name task \`${id}\`, which is not in the plan; remove it`);
    if (!Number.isFinite(duration) || duration < 0) {
      problems.push(`duration of task \`${id}\` is ${duration}; give a finite number, 0 or more`);
    }
  }
  if (problems.length > 0) throw new InputError('cannot simulate the schedule', problems);
  return index.ids.map((id, position) => durations?.get(id) ?? index.estimates[position]!);
}
