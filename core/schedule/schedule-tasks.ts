import { InputError } from '../errors/errors.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { indexPlan, type PlanIndex } from './index-plan.ts';
import { priorityOf, rankTasks } from './rank-tasks.ts';
import { ReadyQueue } from './ready-queue.ts';

/** What `pickTasksToStart` needs to know about a run in progress. */
export interface PickInput {
  /** A validated plan. */
  plan: Plan;
  /** Ids of the tasks that finished successfully. */
  done: ReadonlySet<string>;
  /** Ids of the tasks running now; they are not started again and new tasks are kept apart from them. */
  running: ReadonlySet<string>;
  /** Ids of the tasks that failed or can never start; never started. */
  blocked: ReadonlySet<string>;
  /** How many tasks may start now (free slots). */
  slots: number;
  /** Priority per task id, higher first; defaults to the remaining path (see `computeRemainingPaths`). */
  priority?: ReadonlyMap<string, number>;
}

/**
 * The ids of the tasks to start now, in start order. Ready tasks (all dependencies done; not running,
 * done or blocked) are taken by descending priority (remaining path by default), ties in plan order;
 * a task whose globs overlap a running or already-picked task is passed over while another ready task
 * does not overlap, but when every ready task overlaps, the best one still fills the slot. Pure and
 * deterministic; O((V + E) log V) per call. Long runs should use `createScheduler`, which pays that once.
 */
export function pickTasksToStart(input: PickInput): string[] {
  const index = indexPlan(input.plan);
  const problems = [
    ...unknownIds(index, input.done, 'done'),
    ...unknownIds(index, input.running, 'running'),
    ...unknownIds(index, input.blocked, 'blocked'),
    ...slotProblems(input.slots),
  ];
  if (problems.length > 0) throw new InputError('cannot pick the tasks to start', problems);
  const queue = new ReadyQueue(rankTasks(priorityOf(index, input.priority)), filesOf(input.plan));
  index.ids.forEach((id, position) => {
    if (input.done.has(id) || input.running.has(id) || input.blocked.has(id)) return;
    if (index.dependencies[position]!.every((dependency) => input.done.has(index.ids[dependency]!))) {
      queue.add(position);
    }
  });
  const busy = [...input.running].map((id) => index.positionOf.get(id)!);
  return queue.take(input.slots, busy).map((position) => index.ids[position]!);
}

/** A run's scheduling state; every method refuses unknown ids with an InputError. */
export interface Scheduler {
  /**
   * Picks up to `slots` tasks to start now, by the rule of `pickTasksToStart`, and marks them started.
   * `running` defaults to the tasks this scheduler started that are neither complete nor blocked; ids
   * given there that the scheduler had not started count as started from now on.
   */
  next(slots: number, running?: ReadonlySet<string>): string[];
  /** Records a finished task; dependents whose dependencies are all complete become ready. */
  complete(id: string): void;
  /**
   * Records a failed task (or one that must not run). Returns, in plan order, its transitive
   * dependents that this call newly blocked: they can never start.
   */
  block(id: string): string[];
  /** True when every task is complete or blocked. */
  readonly settled: boolean;
}

const WAITING = 0;
const READY = 1;
const STARTED = 2;
const COMPLETE = 3;
const BLOCKED = 4;

/**
 * A scheduler for one run of `plan`: priorities, ranks and dependency counts are computed once, so a
 * whole run (every task started, completed or blocked once) costs O((V + E) log V) plus the glob
 * comparisons described on `ReadyQueue`. `priority` replaces the remaining path, as in `pickTasksToStart`.
 */
export function createScheduler(
  plan: Plan,
  options: { priority?: ReadonlyMap<string, number> } = {},
): Scheduler {
  const index = indexPlan(plan);
  const queue = new ReadyQueue(rankTasks(priorityOf(index, options.priority)), filesOf(plan));
  const state = new Uint8Array(index.ids.length);
  const waitingOn = index.dependencies.map((deps) => deps.length);
  const inFlight = new Set<number>();
  let settledCount = 0;
  waitingOn.forEach((count, position) => {
    if (count === 0) makeReady(position);
  });

  function makeReady(position: number): void {
    state[position] = READY;
    queue.add(position);
  }

  function leave(position: number, to: typeof COMPLETE | typeof BLOCKED): void {
    if (state[position] === READY) queue.remove(position);
    inFlight.delete(position);
    state[position] = to;
    settledCount += 1;
  }

  function positionOf(id: string, action: string): number {
    const position = index.positionOf.get(id);
    if (position === undefined) {
      throw new InputError(`cannot ${action} task \`${id}\`: it is not in the plan; use an id from the plan`);
    }
    return position;
  }

  return {
    next(slots, running) {
      const problems = slotProblems(slots);
      if (problems.length > 0) throw new InputError('cannot pick the tasks to start', problems);
      let busy: number[];
      if (running === undefined) busy = [...inFlight];
      else {
        busy = [...running].map((id) => positionOf(id, 'treat as running'));
        for (const position of busy) {
          if (state[position] === READY) queue.remove(position);
          if (state[position] === READY || state[position] === WAITING) state[position] = STARTED;
          if (state[position] === STARTED) inFlight.add(position);
        }
      }
      const picks = queue.take(slots, busy);
      for (const position of picks) {
        state[position] = STARTED;
        inFlight.add(position);
      }
      return picks.map((position) => index.ids[position]!);
    },

    complete(id) {
      const position = positionOf(id, 'complete');
      if (state[position] === COMPLETE) {
        throw new InputError(`task \`${id}\` is already complete; complete it once`);
      }
      if (state[position] === BLOCKED) {
        throw new InputError(`task \`${id}\` is blocked and cannot complete; a blocked task never runs`);
      }
      leave(position, COMPLETE);
      for (const dependent of index.dependents[position]!) {
        waitingOn[dependent]! -= 1;
        if (waitingOn[dependent] === 0 && state[dependent] === WAITING) makeReady(dependent);
      }
    },

    block(id) {
      const position = positionOf(id, 'block');
      if (state[position] === COMPLETE)
        throw new InputError(`task \`${id}\` is complete and cannot be blocked`);
      if (state[position] === BLOCKED) return [];
      leave(position, BLOCKED);
      return blockDependents(index, position, state, leave).map((blocked) => index.ids[blocked]!);
    },

    get settled() {
      return settledCount === index.ids.length;
    },
  };
}

// Depth-first over dependents not yet blocked, so repeated failures visit each task at most once.
function blockDependents(
  index: PlanIndex,
  from: number,
  state: Uint8Array,
  leave: (position: number, to: typeof BLOCKED) => void,
): number[] {
  const newlyBlocked: number[] = [];
  const visited = new Set<number>();
  const stack = [...index.dependents[from]!];
  while (stack.length > 0) {
    const position = stack.pop()!;
    if (state[position] === BLOCKED || visited.has(position)) continue;
    visited.add(position);
    if (state[position] !== COMPLETE) {
      leave(position, BLOCKED);
      newlyBlocked.push(position);
    }
    stack.push(...index.dependents[position]!);
  }
  return newlyBlocked.sort((a, b) => a - b);
}

function filesOf(plan: Plan): string[][] {
  return plan.tasks.map((task) => task.files);
}

function unknownIds(index: PlanIndex, ids: ReadonlySet<string>, role: string): string[] {
  return [...ids]
    .filter((id) => !index.positionOf.has(id))
    .map((id) => `${role} names task \`${id}\`, which is not in the plan; use ids from the plan`);
}

function slotProblems(slots: number): string[] {
  return Number.isInteger(slots) && slots >= 0
    ? []
    : [`slots is ${slots}; pass the number of free slots as a whole number, 0 or more`];
}
