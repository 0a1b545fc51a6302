/**
 * The data a report is rendered from. It is rebuilt from the run's ledger branch (commit
 * trailers) plus the plan, never from a runtime's memory, so every runtime renders the same report.
 */

import type { WithheldChange } from '../git/withhold-changes.ts';

export type { WithheldChange };

/** Final state of one task. */
export type TaskStatus = 'integrated' | 'resolved' | 'conflicted' | 'failed' | 'skipped';
/** State of a task while a run is going on (status views), or its final state. */
export type TaskState = 'pending' | 'running' | 'integrating' | TaskStatus;

/** How a conflict ended. */
export type ConflictResolution = 'resolved' | 'retried' | 'skipped' | 'unresolved';

/** One conflict met while integrating a task. */
export interface ConflictNote {
  /** Files git could not merge. */
  files: string[];
  /** Per conflicted file, the already-integrated tasks that had changed it. */
  touchedBy: Record<string, string[]>;
  /** The conflicting hunks (with markers) as git left them, uncapped; the renderer caps it. */
  excerpt: string;
  resolution: ConflictResolution;
}

/** One task's outcome. */
export interface TaskOutcome {
  id: string;
  title: string;
  dependsOn: string[];
  state: TaskState;
  /** The task branch (kept even when the task failed). */
  branch: string;
  /** Head commit of the task branch, when it has one. */
  commit?: string;
  /** Files the task changed. */
  files: string[];
  conflicts: ConflictNote[];
  costUsd?: number;
  turns?: number;
  durationMs?: number;
  /** Why the task failed, was skipped or stayed conflicted. */
  reason?: string;
  /** The agent's own summary of its work. */
  summary?: string;
  /** Link to the job running it (Actions runtime), when there is one. */
  jobUrl?: string;
  /** Changes left out of its work because GitHub refuses them from a job's token; a maintainer applies them. */
  withheld?: WithheldChange[];
}

/** A file changed by more than one task, even where git merged it cleanly. */
export interface OverlapWarning {
  file: string;
  tasks: string[];
}

/** Result of the `verify` command on the integration branch. */
export interface VerifyResult {
  command: string;
  passed: boolean;
  exitCode: number | null;
  /** Last lines of its output. */
  outputTail: string;
  durationMs: number;
}

/** Everything one report shows. */
export interface RunReport {
  runId: string;
  /** Title of the issue or request the run works on. */
  title: string;
  /** Base branch the integration branch started from. */
  base: string;
  integrationBranch: string;
  /** Head of the integration branch when the report was built. */
  integrationCommit?: string;
  tasks: TaskOutcome[];
  overlaps: OverlapWarning[];
  verify?: VerifyResult;
  /** `Closes #N` and similar lines to put at the end of a PR body. */
  footer?: string;
}
