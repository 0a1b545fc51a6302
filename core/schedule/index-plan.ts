import { InputError } from '../errors/errors.ts';
import type { Plan } from '../plan/plan-schema.ts';

/** Estimate of a task that names none. */
export const DEFAULT_ESTIMATE = 1;

/** A plan as arrays indexed by plan position, so the scheduler works on integers, not id lookups. */
export interface PlanIndex {
  /** Task ids in plan order. */
  readonly ids: readonly string[];
  /** Plan position of each id. */
  readonly positionOf: ReadonlyMap<string, number>;
  /** Positions of the tasks each task depends on (duplicates removed). */
  readonly dependencies: readonly (readonly number[])[];
  /** Positions of the tasks that depend on each task. */
  readonly dependents: readonly (readonly number[])[];
  /** Estimate of each task, `DEFAULT_ESTIMATE` when the plan gives none. */
  readonly estimates: readonly number[];
  /** Every position once, each after all of its dependencies. */
  readonly topologicalOrder: readonly number[];
}

/**
 * Indexes a plan in O(V + E). Plans reach the scheduler validated; a duplicate id, an unknown dependency
 * or a cycle is still refused here with an InputError rather than scheduled wrongly.
 */
export function indexPlan(plan: Plan): PlanIndex {
  const ids = plan.tasks.map((task) => task.id);
  const positionOf = new Map<string, number>();
  const problems: string[] = [];
  ids.forEach((id, position) => {
    if (positionOf.has(id)) problems.push(`task id \`${id}\` appears twice; give each task its own id`);
    else positionOf.set(id, position);
  });
  const dependencies = plan.tasks.map((task) => {
    const positions = new Set<number>();
    for (const dependency of task.depends_on) {
      const position = positionOf.get(dependency);
      if (position === undefined) {
        problems.push(
          `task \`${task.id}\` depends on \`${dependency}\`, which is not in the plan; add it or remove the dependency`,
        );
      } else positions.add(position);
    }
    return [...positions];
  });
  if (problems.length > 0) throw new InputError('the plan cannot be scheduled', problems);

  const dependents: number[][] = ids.map(() => []);
  dependencies.forEach((deps, position) => {
    for (const dependency of deps) dependents[dependency]!.push(position);
  });
  const topologicalOrder = orderTopologically(ids, dependencies, dependents);
  const estimates = plan.tasks.map((task) => task.estimate ?? DEFAULT_ESTIMATE);
  return { ids, positionOf, dependencies, dependents, estimates, topologicalOrder };
}

// Kahn's algorithm; sources in plan order so the order is deterministic.
function orderTopologically(
  ids: readonly string[],
  dependencies: readonly (readonly number[])[],
  dependents: readonly (readonly number[])[],
): number[] {
  const waiting = dependencies.map((deps) => deps.length);
  const order: number[] = [];
  waiting.forEach((count, position) => {
    if (count === 0) order.push(position);
  });
  for (let next = 0; next < order.length; next++) {
    for (const dependent of dependents[order[next]!]!) {
      waiting[dependent]! -= 1;
      if (waiting[dependent] === 0) order.push(dependent);
    }
  }
  if (order.length < ids.length) {
    const onCycle = ids.filter((_, position) => waiting[position]! > 0);
    throw new InputError('the plan cannot be scheduled', [
      `tasks ${onCycle.map((id) => `\`${id}\``).join(', ')} depend on each other in a cycle (or on a task that does); remove a dependency to break it`,
    ]);
  }
  return order;
}
