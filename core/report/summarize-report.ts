import { z } from 'zod';
import { countOf } from './format-values.ts';
import type { RunReport, TaskState } from './report-model.ts';

/** Every state a task can be in, in the order summaries and legends list them. */
export const TASK_STATES = [
  'integrated',
  'resolved',
  'conflicted',
  'failed',
  'skipped',
  'integrating',
  'running',
  'pending',
] as const satisfies readonly TaskState[];

const count = z.number().int().nonnegative();

/** The counts of a run, as the CLI prints them in its JSON output and derives its exit code from. */
export const ReportCountsSchema = z.object({
  /** Number of tasks in the run. */
  total: count,
  /** Number of tasks per state; every state is present, zero when no task is in it. */
  byState: z.object({
    integrated: count,
    resolved: count,
    conflicted: count,
    failed: count,
    skipped: count,
    integrating: count,
    running: count,
    pending: count,
  }),
  /** Tasks whose work is on the integration branch: `integrated` plus `resolved`. */
  integrated: count,
  /** Sum of the tasks' agent cost in US dollars (tasks with no recorded cost count as 0). */
  costUsd: z.number().nonnegative(),
  /** Sum of the tasks' agent turns. */
  turns: count,
  /** Outcome of the verify command on the integration branch. */
  verify: z.enum(['passed', 'failed', 'not-run']),
  /** True when every task is on the integration branch and verify did not fail. */
  succeeded: z.boolean(),
});

/** Counts of a run; see {@link ReportCountsSchema}. */
export type ReportCounts = z.infer<typeof ReportCountsSchema>;

/** Counts the tasks of `report` per state and adds up their cost and turns. */
export function summarizeCounts(report: RunReport): ReportCounts {
  const byState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  let costUsd = 0;
  let turns = 0;
  for (const task of report.tasks) {
    byState[task.state] += 1;
    costUsd += task.costUsd ?? 0;
    turns += task.turns ?? 0;
  }
  const total = report.tasks.length;
  const integrated = byState.integrated + byState.resolved;
  const verify = report.verify === undefined ? 'not-run' : report.verify.passed ? 'passed' : 'failed';
  return {
    total,
    byState,
    integrated,
    costUsd,
    turns,
    verify,
    succeeded: integrated === total && verify !== 'failed',
  };
}

// The states after "N of M tasks integrated", with the words that follow their count.
const TRAILING_STATES: ReadonlyArray<[TaskState, string]> = [
  ['conflicted', 'left conflicted'],
  ['failed', 'failed'],
  ['skipped', 'skipped'],
  ['integrating', 'integrating'],
  ['running', 'running'],
  ['pending', 'pending'],
];

/**
 * The one-line summary a reviewer reads first, e.g. "5 of 6 tasks integrated (1 after resolving a
 * conflict); 1 failed. Verify failed."
 */
export function describeCounts(counts: ReportCounts): string {
  if (counts.total === 0) return 'The plan has no tasks.';
  let sentence = `${counts.integrated} of ${countOf(counts.total, 'task')} integrated`;
  if (counts.byState.resolved > 0) sentence += ` (${counts.byState.resolved} after resolving a conflict)`;
  for (const [state, words] of TRAILING_STATES) {
    if (counts.byState[state] > 0) sentence += `; ${counts.byState[state]} ${words}`;
  }
  sentence += '.';
  if (counts.verify !== 'not-run') sentence += ` Verify ${counts.verify}.`;
  return sentence;
}
