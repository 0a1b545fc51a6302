import type { TaskEntry } from '../integrate/ledger-format.ts';
import type { LedgerRecord } from '../integrate/read-ledger.ts';
import type { Plan } from '../plan/plan-schema.ts';
import type {
  ConflictNote,
  OverlapWarning,
  RunReport,
  TaskOutcome,
  TaskState,
} from '../report/report-model.ts';

/** What a report needs besides the ledger. */
export interface ReportContext {
  runId: string;
  plan: Plan;
  base: string;
  integrationBranch: string;
  integrationCommit?: string;
  /** Task branch of each task, for tasks the ledger has no entry for yet. */
  taskBranch: (taskId: string) => string;
  /** Live states of tasks without a ledger entry (running, integrating); default pending. */
  liveStates?: ReadonlyMap<string, TaskState>;
  /** Where each task's job can be watched (its workflow run), when known. */
  jobUrls?: ReadonlyMap<string, string>;
  footer?: string;
}

const MERGED = new Set<TaskEntry['status']>(['integrated', 'resolved']);

/**
 * Rebuilds a run's report from its ledger: one outcome per planned task, conflict notes with the already-integrated
 * tasks that touched each conflicted file, overlap warnings for files changed by more than one merged task, and the
 * verify result. Any runtime that can read the integration branch renders the same report.
 */
export function buildRunReport(ledger: LedgerRecord[], context: ReportContext): RunReport {
  const start = ledger.find((record) => record.event === 'start');
  const taskEntries = new Map<string, TaskEntry>();
  const touched = new Map<string, string[]>();
  const conflictsByTask = new Map<string, ConflictNote>();
  for (const record of ledger) {
    if (record.event !== 'task') continue;
    if (record.conflicts.length > 0) {
      conflictsByTask.set(record.task, {
        files: record.conflicts,
        touchedBy: Object.fromEntries(record.conflicts.map((file) => [file, [...(touched.get(file) ?? [])]])),
        excerpt: record.excerpt ?? '',
        resolution:
          record.resolution === 'clean' || record.resolution === 'none' ? 'unresolved' : record.resolution,
      });
    }
    if (MERGED.has(record.status)) {
      for (const file of record.files) touched.set(file, [...(touched.get(file) ?? []), record.task]);
    }
    taskEntries.set(record.task, record);
  }
  const tasks: TaskOutcome[] = context.plan.tasks.map((task) => {
    const entry = taskEntries.get(task.id);
    const conflict = conflictsByTask.get(task.id);
    return {
      id: task.id,
      title: task.title,
      dependsOn: task.depends_on,
      state: entry?.status ?? context.liveStates?.get(task.id) ?? 'pending',
      branch: entry?.branch || context.taskBranch(task.id),
      commit: entry?.commit,
      files: entry?.files ?? [],
      conflicts: conflict ? [conflict] : [],
      costUsd: entry?.costUsd,
      turns: entry?.turns,
      durationMs: entry?.durationMs,
      reason: entry?.reason,
      summary: entry?.summary,
      jobUrl: context.jobUrls?.get(task.id),
      ...(entry?.withheld !== undefined && entry.withheld.length > 0 ? { withheld: entry.withheld } : {}),
    };
  });
  const overlaps: OverlapWarning[] = [...touched.entries()]
    .filter(([, byTasks]) => byTasks.length > 1)
    .map(([file, byTasks]) => ({ file, tasks: byTasks }))
    .sort((a, b) => a.file.localeCompare(b.file));
  const verify = ledger.findLast((record) => record.event === 'verify');
  return {
    runId: context.runId,
    title: start?.event === 'start' ? start.title : '',
    base: start?.event === 'start' ? start.base : context.base,
    integrationBranch: context.integrationBranch,
    integrationCommit: context.integrationCommit,
    tasks,
    overlaps,
    verify:
      verify?.event === 'verify'
        ? {
            command: verify.command,
            passed: verify.passed,
            exitCode: verify.exitCode,
            outputTail: verify.excerpt,
            durationMs: verify.durationMs,
          }
        : undefined,
    footer: context.footer,
  };
}
