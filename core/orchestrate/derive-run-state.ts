import type { Config } from '../config/config-schema.ts';
import type { TaskEntry } from '../integrate/ledger-format.ts';
import type { LedgerRecord } from '../integrate/read-ledger.ts';
import { topologicalOrder } from '../plan/plan-order.ts';
import type { Plan } from '../plan/plan-schema.ts';
import type { TaskState } from '../report/report-model.ts';
import { pickTasksToStart } from '../schedule/schedule-tasks.ts';
import { type DispatchRecord, dispatchOwners, taskAttempts } from './dispatch-record.ts';

/** One task as the ledger shows it. */
export interface DerivedTask {
  state: TaskState;
  /** 1 for the first run, +1 for each `/cluster retry` of it. */
  attempt: number;
  /** The outcome entry of the current attempt, when there is one. */
  entry?: TaskEntry;
  /** The dispatch that owns the current attempt, once one was recorded. */
  dispatch?: DispatchRecord;
}

/** What the orchestrator should do next, derived from GitHub alone. */
export interface RunState {
  tasks: Map<string, DerivedTask>;
  cancelled: boolean;
  /** The run's pull request was closed unmerged: no pull request is opened or updated again. */
  closed: boolean;
  /** True when no approval is needed or `/cluster approve` was given. */
  approved: boolean;
  /** Dispatched for their current attempt, no outcome yet. */
  inFlight: string[];
  /** Tasks to record as skipped now, with the reason (a dependency failed, conflicted or was skipped). */
  toSkip: { id: string; reason: string }[];
  /** Tasks to dispatch now (critical-path order, within max_parallel). */
  ready: string[];
  /** Every task has an outcome for its current attempt. */
  finished: boolean;
}

const MERGED = new Set<TaskState>(['integrated', 'resolved']);
const STOPPED = new Set<TaskState>(['failed', 'conflicted', 'skipped']);

/**
 * Derives a run's state from its ledger alone: outcomes, retries, approvals, cancellation and the `dispatch` entries
 * that own each task's attempt. Pure: the same ledger always gives the same decisions, so redelivered or concurrent
 * events agree.
 */
export function deriveRunState(plan: Plan, ledger: LedgerRecord[], config: Config): RunState {
  const attempts = taskAttempts(ledger);
  const current = new Map<string, TaskEntry>();
  const owners = dispatchOwners(ledger);
  let cancelled = false;
  let closed = false;
  let approved = config.approval === 'none';
  for (const record of ledger) {
    if (record.event === 'cancel') cancelled = true;
    if (record.event === 'close') closed = true;
    if (record.event === 'approve') approved = true;
    // A retry starts the task's next attempt: its earlier outcome no longer counts.
    if (record.event === 'retry' && record.task) current.delete(record.task);
    if (record.event === 'task') current.set(record.task, record);
  }

  const tasks = new Map<string, DerivedTask>();
  const toSkip: { id: string; reason: string }[] = [];
  for (const task of topologicalOrder(plan)) {
    const attempt = attempts.get(task.id) ?? 1;
    const entry = current.get(task.id);
    const dispatch = owners.get(task.id);
    if (entry) {
      tasks.set(task.id, { state: entry.status, attempt, entry, ...(dispatch ? { dispatch } : {}) });
      continue;
    }
    const stoppedDependency = task.depends_on.find((dep) => STOPPED.has(tasks.get(dep)?.state ?? 'pending'));
    if (stoppedDependency !== undefined) {
      const dependencyState = tasks.get(stoppedDependency)!.state;
      const verb =
        dependencyState === 'conflicted'
          ? 'was not integrated (conflict)'
          : dependencyState === 'skipped'
            ? 'was skipped'
            : 'failed';
      toSkip.push({ id: task.id, reason: `depends on \`${stoppedDependency}\`, which ${verb}` });
      // Counted as skipped from here on, so its own dependents are skipped in the same pass.
      tasks.set(task.id, { state: 'skipped', attempt });
      continue;
    }
    tasks.set(task.id, dispatch ? { state: 'running', attempt, dispatch } : { state: 'pending', attempt });
  }

  const inFlight = [...tasks].filter(([, task]) => task.state === 'running').map(([id]) => id);
  const startable = approved && !cancelled && !closed;
  const slots = Math.max(0, config.max_parallel - inFlight.length);
  const ready =
    startable && slots > 0
      ? pickTasksToStart({
          plan,
          done: new Set([...tasks].filter(([, task]) => MERGED.has(task.state)).map(([id]) => id)),
          running: new Set(inFlight),
          blocked: new Set([...tasks].filter(([, task]) => STOPPED.has(task.state)).map(([id]) => id)),
          slots,
        })
      : [];
  const finished = [...tasks.values()].every((task) => MERGED.has(task.state) || STOPPED.has(task.state));
  return {
    tasks,
    cancelled,
    closed,
    approved,
    inFlight,
    toSkip,
    ready,
    finished,
  };
}
