import { join } from 'node:path';
import type { Agent } from '../agent/agent-contract.ts';
import { buildResolvePrompt } from '../agent/build-resolve-prompt.ts';
import type { Config } from '../config/config-schema.ts';
import { findRefusedChange, type WithholdRules } from '../git/withhold-changes.ts';
import type { WorktreeSet } from '../git/worktrees.ts';
import type { LedgerTarget } from '../integrate/append-ledger-entry.ts';
import type { RunBranches } from '../integrate/branch-names.ts';
import { integrateTaskCommit } from '../integrate/integrate-task-commit.ts';
import { formatLedgerMessage } from '../integrate/ledger-format.ts';
import { projectedMergeMessage } from '../integrate/project-merge.ts';
import { resolveConflictWithAgent } from '../integrate/resolve-conflict.ts';
import type { Task } from '../plan/plan-schema.ts';
import { findCommittedSecret } from './job-secrets.ts';
import {
  type TaskEntryFields,
  type TaskFacts,
  taskLedgerEntry,
  taskLedgerSubject,
} from './record-task-outcome.ts';

/** What integrating an attempt needs from its run. */
export interface IntegrateContext {
  target: LedgerTarget;
  worktrees: WorktreeSet;
  workDir: string;
  branches: RunBranches;
  runId: string;
  agent: Agent;
  config: Config;
  signal?: AbortSignal;
  /** Most the next agent invocation may spend. */
  taskBudget(): number;
  /** Records what an agent run spent, against the run's budget. */
  spend(usd: number): void;
  /** Called before the agent is asked to resolve a conflict. */
  onResolving(files: string[]): void;
  /** The job's secret values: a resolution whose files hold one is refused. */
  secrets?: readonly string[];
  /** What the job's token may not push (task mode): a resolution with such a change is refused. */
  withhold?: WithholdRules;
}

/** A conflict carried from a first attempt into its re-run. */
export interface EarlierConflict {
  files: string[];
  excerpt: string;
}

/** How integrating an attempt ended. */
export type IntegrationStep =
  /** The work is on the integration branch; its ledger entry is the merge commit. */
  | { merged: 'integrated' | 'resolved' }
  /** The work stays on its branch; the caller records this entry. */
  | { kept: TaskEntryFields & { status: 'conflicted' } }
  /** on_conflict is `retry`: re-run the task on the integration branch, then integrate again. */
  | { retry: EarlierConflict };

/**
 * Merges one attempt of a task into the integration branch (call it inside the run's integration lock). A clean
 * merge lands with its ledger entry; a conflict is handled per `on_conflict`: the agent resolves it in a worktree
 * holding it, a re-run is requested, or the branch is kept unmerged. A re-run that conflicts again is kept.
 */
export async function integrateAttempt(
  context: IntegrateContext,
  task: Task,
  facts: TaskFacts,
  earlier?: EarlierConflict,
): Promise<IntegrationStep> {
  const clean: TaskEntryFields = earlier
    ? { status: 'resolved', resolution: 'retried', conflicts: earlier.files, excerpt: earlier.excerpt }
    : { status: 'integrated', resolution: 'clean' };
  const mergeMessage = projectedMergeMessage(task.id, task.title);
  const messages = {
    ledger: formatLedgerMessage(taskLedgerSubject(task, clean.status), taskLedgerEntry(facts, clean)),
    merge: mergeMessage,
  };
  const labels = { integration: context.branches.integration, task: facts.branch };
  const result = await integrateTaskCommit(context.target, facts.commit!, labels, messages, {
    unchanged: facts.files.length === 0,
  });
  if (result.merged) return { merged: earlier ? 'resolved' : 'integrated' };

  const { conflict, heads } = result;
  const conflicted = { conflicts: conflict.conflictedFiles, excerpt: conflict.excerpt };
  const kept = (resolution: 'skipped' | 'unresolved', reason: string): IntegrationStep => ({
    kept: {
      status: 'conflicted',
      resolution,
      ...conflicted,
      reason: `${reason}; branch \`${facts.branch}\` kept`,
    },
  });
  if (earlier) return kept('unresolved', 'conflicted again after re-running on the integration branch');
  if (context.config.on_conflict === 'skip') return kept('skipped', 'left unmerged (on_conflict: skip)');
  if (context.config.on_conflict === 'retry') {
    return { retry: { files: conflict.conflictedFiles, excerpt: conflict.excerpt } };
  }

  context.onResolving(conflict.conflictedFiles);
  const resolution = await resolveConflictWithAgent({
    target: context.target,
    worktrees: context.worktrees,
    worktreeDir: join(context.workDir, `resolve-${task.id}`),
    heads,
    mergeMessage,
    taskBranch: facts.branch,
    taskCommit: facts.commit!,
    agent: context.agent,
    findSecret: (from, to) =>
      findCommittedSecret(context.target.store.repoDir, from, to, context.secrets ?? []),
    findRefused: async (from, to) => {
      if (context.withhold === undefined) return undefined;
      const refused = await findRefusedChange(context.target.store.repoDir, from, to, context.withhold);
      if (refused === undefined) return undefined;
      return refused.reason === 'workflow'
        ? `changes the workflow file \`${refused.path}\`, which a job's token may not push`
        : `adds \`${refused.path}\`, larger than GitHub's file size limit`;
    },
    agentInput: {
      prompt: buildResolvePrompt({
        task,
        conflictedFiles: conflict.conflictedFiles,
        integrationBranch: context.branches.integration,
        excerpt: conflict.excerpt,
      }),
      runId: context.runId,
      taskId: task.id,
      taskTitle: task.title,
      timeoutMs: context.config.task_timeout_minutes * 60_000,
      budgetUsd: context.taskBudget(),
      signal: context.signal,
    },
    message: (agent) =>
      formatLedgerMessage(
        taskLedgerSubject(task, 'resolved'),
        taskLedgerEntry(
          { ...facts, agentRuns: [...facts.agentRuns, agent] },
          { status: 'resolved', resolution: 'resolved', ...conflicted },
        ),
      ),
  });
  // The resolving run costs like any other: it counts in the task's totals either way.
  if (resolution.agent) {
    facts.agentRuns.push(resolution.agent);
    context.spend(resolution.agent.costUsd ?? 0);
  }
  if (resolution.resolved) return { merged: 'resolved' };
  return kept('unresolved', `the conflict was not resolved: ${resolution.reason}`);
}
