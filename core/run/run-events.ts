import type { TaskState } from '../report/report-model.ts';

/** Progress of a run, for live views (terminal, status comment). The ledger remains the record. */
export type RunEvent =
  | { type: 'run-started'; runId: string; integrationBranch: string; tasks: number }
  | { type: 'task-state'; taskId: string; state: TaskState; detail?: string }
  | { type: 'verify'; state: 'running' | 'passed' | 'failed'; detail?: string }
  | { type: 'run-finished'; runId: string };

/** Receives run events; must not throw. */
export type RunEventListener = (event: RunEvent) => void;
