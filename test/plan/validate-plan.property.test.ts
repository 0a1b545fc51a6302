import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TASK_ID_MAX_LENGTH, TASK_ID_PATTERN } from '../../core/plan/plan-schema.ts';
import { slugifyTaskId, uniqueTaskIds } from '../../core/plan/slugify-task-id.ts';
import { validatePlan } from '../../core/plan/validate-plan.ts';

/** A random DAG over `size` tasks: every edge goes from a task to one earlier in the plan. */
const dagArbitrary = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc.tuple(
    fc.constant(size),
    fc
      .array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 3 })
      .map((pairs) => pairs.filter(([from, to]) => from > to)),
  ),
);

function planOf(size: number, edges: readonly (readonly [number, number])[]) {
  const tasks = Array.from({ length: size }, (_, i) => {
    const depends = [...new Set(edges.filter(([from]) => from === i).map(([, to]) => `t${to}`))];
    return { id: `t${i}`, title: `Task ${i}`, prompt: `Do ${i}.`, depends_on: depends };
  });
  return { tasks };
}

/** The id path a cycle problem prints, as a list: `a → b → a` becomes [a, b, a]. */
function printedCycles(problems: readonly string[]): string[][] {
  return problems
    .filter((problem) => problem.startsWith('dependency cycle'))
    .map((problem) => (/`([^`]+)`/.exec(problem)?.[1] ?? '').split(' → '));
}

describe('validatePlan (properties)', () => {
  describe('with a random DAG whose edges only point to earlier tasks', () => {
    it('always accepts the plan', () => {
      fc.assert(
        fc.property(dagArbitrary, ([size, edges]) => {
          expect(validatePlan(planOf(size, edges))).toMatchObject({ ok: true });
        }),
      );
    });
  });

  describe('with one back edge added to a random DAG', () => {
    it('reports a cycle whose printed path is a real cycle of the graph', () => {
      const withBackEdge = dagArbitrary
        .filter(([size]) => size >= 2)
        .chain(([size, edges]) =>
          fc
            .tuple(fc.nat(size - 1), fc.nat(size - 1))
            .filter(([from, to]) => from < to)
            // The back edge closes a cycle only through a path from `to` down to `from`; add one.
            .map(([from, to]) => ({ size, edges: [...edges, [from, to] as const, ...chain(to, from)] })),
        );
      fc.assert(
        fc.property(withBackEdge, ({ size, edges }) => {
          const plan = planOf(size, edges);
          const result = validatePlan(plan);
          expect(result.ok).toBe(false);
          const cycles = printedCycles(result.ok ? [] : result.problems);
          expect(cycles.length).toBeGreaterThan(0);
          for (const cycle of cycles) {
            expect(cycle[0]).toBe(cycle.at(-1));
            expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
            for (let i = 0; i + 1 < cycle.length; i++) {
              const from = plan.tasks.find((task) => task.id === cycle[i]);
              expect(from?.depends_on).toContain(cycle[i + 1]);
            }
          }
        }),
      );
    });
  });

  describe('with arbitrary JSON', () => {
    it('never throws and refuses anything invalid with at least one problem', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.jsonValue(), fc.record({ tasks: fc.array(fc.jsonValue(), { maxLength: 5 }) })),
          (raw) => {
            const result = validatePlan(raw);
            if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
            for (const problem of result.ok ? [] : result.problems) expect(typeof problem).toBe('string');
          },
        ),
      );
    });

    it('never throws on task-shaped objects with random field values', () => {
      const field = fc.oneof(fc.string(), fc.jsonValue(), fc.array(fc.string(), { maxLength: 3 }));
      const taskish = fc.record(
        { id: field, title: field, prompt: field, depends_on: field, files: field, estimate: field },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(fc.array(taskish, { maxLength: 6 }), (tasks) => {
          expect(() => validatePlan({ tasks })).not.toThrow();
        }),
      );
    });
  });
});

/** Edges from task `high` down to task `low` one step at a time: high → high-1 → … → low. */
function chain(high: number, low: number): (readonly [number, number])[] {
  const edges: (readonly [number, number])[] = [];
  for (let i = high; i > low; i--) edges.push([i, i - 1] as const);
  return edges;
}

describe('slugifyTaskId (properties)', () => {
  it('always yields a valid task id', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: 'binary-ascii', maxLength: 200 }),
      fc
        .array(fc.constantFrom('a', 'É', '-', ' ', '9', '_', 'ß', 'ø', '\u0301'), { maxLength: 120 })
        .map((c) => c.join('')),
    );
    fc.assert(
      fc.property(text, (text) => {
        const id = slugifyTaskId(text);
        expect(id).toMatch(TASK_ID_PATTERN);
        expect(id.length).toBeLessThanOrEqual(TASK_ID_MAX_LENGTH);
      }),
    );
  });

  it('always yields distinct valid ids for a list of texts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Setup', 'setup', 'x'.repeat(60), '!!!', 'setup-2', ''), { maxLength: 30 }),
        (texts) => {
          const ids = uniqueTaskIds(texts);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) {
            expect(id).toMatch(TASK_ID_PATTERN);
            expect(id.length).toBeLessThanOrEqual(TASK_ID_MAX_LENGTH);
          }
        },
      ),
    );
  });
});
