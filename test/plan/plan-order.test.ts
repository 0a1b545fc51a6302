import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../../core/plan/plan-order.ts';
import type { Plan } from '../../core/plan/plan-schema.ts';

function planOf(dependencies: Record<string, string[]>): Plan {
  return {
    tasks: Object.entries(dependencies).map(([id, depends_on]) => ({
      id,
      title: id,
      prompt: `Do ${id}.`,
      depends_on,
      files: [],
    })),
  };
}

const ids = (plan: Plan) => topologicalOrder(plan).map((task) => task.id);

describe('topologicalOrder', () => {
  it('keeps plan order for independent tasks', () => {
    expect(ids(planOf({ c: [], a: [], b: [] }))).toEqual(['c', 'a', 'b']);
  });

  it('puts every task after the tasks it depends on', () => {
    expect(ids(planOf({ docs: ['api', 'db'], api: ['db'], db: [] }))).toEqual(['db', 'api', 'docs']);
  });

  it('breaks ties between ready tasks by plan order', () => {
    expect(ids(planOf({ d: ['a'], c: [], b: ['c'], a: [] }))).toEqual(['c', 'b', 'a', 'd']);
  });

  it('refuses a plan with a cycle, which validatePlan would have refused', () => {
    expect(() => topologicalOrder(planOf({ a: ['b'], b: ['a'], c: [] }))).toThrow(
      'topologicalOrder: tasks a, b wait on each other; validate the plan first',
    );
  });
});
