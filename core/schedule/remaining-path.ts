import type { Plan } from '../plan/plan-schema.ts';
import { indexPlan, type PlanIndex } from './index-plan.ts';

/**
 * The "bottom level" of every task: the longest chain of estimates from the task's start to the end of
 * the DAG, its own estimate included. One pass over the plan in reverse topological order, O(V + E).
 * Returned by plan position.
 */
export function remainingPathsOf(index: PlanIndex, estimates: readonly number[] = index.estimates): number[] {
  const remaining = index.ids.map(() => 0);
  const order = index.topologicalOrder;
  for (let at = order.length - 1; at >= 0; at--) {
    const position = order[at]!;
    let longestAfter = 0;
    for (const dependent of index.dependents[position]!) {
      longestAfter = Math.max(longestAfter, remaining[dependent]!);
    }
    remaining[position] = estimates[position]! + longestAfter;
  }
  return remaining;
}

/**
 * Remaining path (bottom level) of every task by id: its estimate plus the longest chain of estimates of
 * the tasks that transitively depend on it. Estimates default to 1.
 */
export function computeRemainingPaths(plan: Plan): Map<string, number> {
  const index = indexPlan(plan);
  const remaining = remainingPathsOf(index);
  return new Map(index.ids.map((id, position) => [id, remaining[position]!]));
}
