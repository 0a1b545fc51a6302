import { InputError } from '../errors/errors.ts';
import type { PlanIndex } from './index-plan.ts';
import { remainingPathsOf } from './remaining-path.ts';

/**
 * Priority of every task by plan position: the caller's `priority` map when given (it must name every
 * task with a finite number), else the remaining path (bottom level).
 */
export function priorityOf(index: PlanIndex, priority?: ReadonlyMap<string, number>): number[] {
  if (priority === undefined) return remainingPathsOf(index);
  const problems: string[] = [];
  for (const id of priority.keys()) {
    if (!index.positionOf.has(id))
      problems.push(`priority names task \`${id}\`, which is not in the plan; remove it`);
  }
  const values = index.ids.map((id) => {
    const value = priority.get(id);
    if (value === undefined || !Number.isFinite(value)) {
      problems.push(`priority of task \`${id}\` is ${String(value)}; give every task a finite number`);
      return 0;
    }
    return value;
  });
  if (problems.length > 0) throw new InputError('the scheduling priorities cannot be used', problems);
  return values;
}

/**
 * A total order of the tasks as a rank per plan position (0 starts first): higher priority first, ties
 * in plan order. Comparing two integers keeps the heaps cheap and every runtime deterministic.
 */
export function rankTasks(priority: readonly number[]): number[] {
  const order = priority.map((_, position) => position);
  order.sort((a, b) => priority[b]! - priority[a]! || a - b);
  const rank = priority.map(() => 0);
  order.forEach((position, at) => {
    rank[position] = at;
  });
  return rank;
}
