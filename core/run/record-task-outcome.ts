import type { AgentRunResult } from '../agent/agent-contract.ts';
import type { WithheldChange } from '../git/withhold-changes.ts';
import type { LedgerEntryInput, TaskEntry } from '../integrate/ledger-format.ts';
import type { Task } from '../plan/plan-schema.ts';

/** What is known about a task when its outcome is written to the ledger. */
export interface TaskFacts {
  runId: string;
  task: Task;
  branch: string;
  commit?: string;
  files: string[];
  /** Changes left out of the branch because GitHub would refuse them from the job's token. */
  withheld?: WithheldChange[];
  /** Agent invocations of this task (attempts and conflict resolutions), for cost, turns and time. */
  agentRuns: AgentRunResult[];
  attempts: number;
}

/** The outcome fields of a task's ledger entry; the rest comes from its facts. */
export type TaskEntryFields = Pick<TaskEntry, 'status' | 'resolution'> & {
  conflicts?: string[];
  excerpt?: string;
  reason?: string;
};

/** The ledger entry of a task outcome: the facts plus cost, turns and time summed over its agent runs. */
export function taskLedgerEntry(facts: TaskFacts, fields: TaskEntryFields): LedgerEntryInput {
  const costs = facts.agentRuns.map((run) => run.costUsd).filter((cost) => cost !== undefined);
  const turns = facts.agentRuns.map((run) => run.turns).filter((turn) => turn !== undefined);
  const summary = facts.agentRuns.find((run) => run.summary.trim() !== '')?.summary;
  return {
    event: 'task',
    run: facts.runId,
    task: facts.task.id,
    status: fields.status,
    branch: facts.branch,
    commit: facts.commit,
    files: facts.files,
    conflicts: fields.conflicts ?? [],
    resolution: fields.resolution,
    costUsd: costs.length > 0 ? round(costs.reduce((a, b) => a + b, 0)) : undefined,
    turns: turns.length > 0 ? turns.reduce((a, b) => a + b, 0) : undefined,
    durationMs: facts.agentRuns.reduce((sum, run) => sum + run.durationMs, 0),
    attempts: facts.attempts,
    reason: fields.reason,
    summary,
    excerpt: fields.excerpt,
    ...(facts.withheld === undefined || facts.withheld.length === 0 ? {} : { withheld: facts.withheld }),
  };
}

/** Subject line of a task's ledger commit. */
export function taskLedgerSubject(task: Task, status: TaskEntry['status']): string {
  return status === 'integrated' || status === 'resolved'
    ? `Integrate task ${task.id}: ${task.title}`
    : `Record task ${task.id} as ${status}: ${task.title}`;
}

/** Message of the commit holding a task's own work on its branch. */
export function taskCommitMessage(runId: string, task: Task, result: AgentRunResult): string {
  const state = result.ok ? '' : ' (partial work: the agent did not finish)';
  const summary = result.summary.trim() ? `\n\n${result.summary.trim().slice(0, 4000)}` : '';
  return `${task.title}${state}${summary}\n\nCluster-Run: ${runId}\nCluster-Task: ${task.id}\n`;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
