import type { Plan, Task } from './plan-schema.ts';

/**
 * The tasks in an order where every task comes after the tasks it depends on; among tasks that are ready
 * at the same time, plan order wins, so the result is the same on every run. Expects a validated plan
 * (known dependencies, no cycles) and throws if given one with a cycle.
 */
export function topologicalOrder(plan: Plan): Task[] {
  const { tasks } = plan;
  const position = new Map(tasks.map((task, index) => [task.id, index]));
  const waitingOn = tasks.map((task) => new Set(task.depends_on.filter((id) => position.has(id))).size);
  const dependents: number[][] = tasks.map(() => []);
  tasks.forEach((task, index) => {
    for (const id of new Set(task.depends_on)) {
      const target = position.get(id);
      if (target !== undefined) dependents[target]!.push(index);
    }
  });
  const ordered: Task[] = [];
  const done = new Array<boolean>(tasks.length).fill(false);
  // Plans hold at most 256 tasks, so a scan for the first ready task is simpler than a heap and fast enough.
  for (let round = 0; round < tasks.length; round++) {
    const next = waitingOn.findIndex((count, index) => count === 0 && !done[index]);
    if (next === -1) {
      const stuck = tasks.filter((_, index) => !done[index]).map((task) => task.id);
      throw new Error(
        `topologicalOrder: tasks ${stuck.join(', ')} wait on each other; validate the plan first`,
      );
    }
    done[next] = true;
    ordered.push(tasks[next]!);
    for (const dependent of dependents[next]!) waitingOn[dependent]!--;
  }
  return ordered;
}
