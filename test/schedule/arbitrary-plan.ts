import fc from 'fast-check';
import type { Plan } from '../../core/plan/plan-schema.ts';

/** Globs the random plans draw from: directories, wildcards, overlapping and disjoint ones. */
export const GLOB_POOL = [
  'src/api/**',
  'src/api/users.ts',
  'src/db/',
  'src/*.ts',
  'docs/**',
  'test/**/*.ts',
  'README.md',
];

/**
 * A valid random plan: each task depends only on tasks generated before it (so the plan is acyclic),
 * the plan order is then shuffled, estimates are 1–5 or absent, files drawn from `GLOB_POOL`.
 */
export function arbitraryPlan(options: { maxTasks?: number; withFiles?: boolean } = {}): fc.Arbitrary<Plan> {
  const maxTasks = options.maxTasks ?? 12;
  const files: fc.Arbitrary<string[]> = options.withFiles
    ? fc.subarray(GLOB_POOL, { maxLength: 2 })
    : fc.constant<string[]>([]);
  return fc
    .integer({ min: 1, max: maxTasks })
    .chain((count) =>
      fc.tuple(
        fc.tuple(
          ...Array.from({ length: count }, (_, position) =>
            fc.record({
              depends_on: fc.subarray(
                Array.from({ length: position }, (_, earlier) => `t${earlier}`),
                { maxLength: Math.min(3, position) },
              ),
              files,
              estimate: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
            }),
          ),
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: count, maxLength: count }),
      ),
    )
    .map(([drafts, keys]) => {
      const tasks = drafts.map((draft, position) => ({
        id: `t${position}`,
        title: `task ${position}`,
        prompt: `do task ${position}`,
        depends_on: draft.depends_on,
        files: draft.files,
        ...(draft.estimate === undefined ? {} : { estimate: draft.estimate }),
      }));
      const order = tasks.map((_, position) => position).sort((a, b) => keys[a]! - keys[b]! || a - b);
      return { tasks: order.map((position) => tasks[position]!) };
    });
}

/** A plan from a compact description: `{ id: [dependencies], … }`, with optional estimates and files. */
export function planOf(
  dependencies: Record<string, string[]>,
  extra: { estimates?: Record<string, number>; files?: Record<string, string[]> } = {},
): Plan {
  return {
    tasks: Object.entries(dependencies).map(([id, depends_on]) => ({
      id,
      title: id,
      prompt: `do ${id}`,
      depends_on,
      files: extra.files?.[id] ?? [],
      ...(extra.estimates?.[id] === undefined ? {} : { estimate: extra.estimates[id] }),
    })),
  };
}
