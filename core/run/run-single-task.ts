import type { Agent } from '../agent/agent-contract.ts';
import { buildTaskPrompt } from '../agent/build-task-prompt.ts';
import type { Config } from '../config/config-schema.ts';
import { InputError } from '../errors/errors.ts';
import { commitIdentityEnv } from '../git/commit-identity.ts';
import { snapshotGitConfig, withGitConfigRestored } from '../git/git-config-snapshot.ts';
import { restoreAgentConfig } from '../git/restore-agent-config.ts';
import { GITHUB_MAX_FILE_BYTES, type WithholdRules } from '../git/withhold-changes.ts';
import { WorktreeSet } from '../git/worktrees.ts';
import { advanceIntegrationBranch } from '../integrate/advance-integration-branch.ts';
import { appendLedgerEntry, type LedgerTarget } from '../integrate/append-ledger-entry.ts';
import { runBranches } from '../integrate/branch-names.ts';
import type { BranchStore } from '../integrate/branch-store.ts';
import { readLedgerHeads } from '../integrate/project-merge.ts';
import { publishTaskBranch } from '../integrate/publish-task-branch.ts';
import { type LedgerRecord, projectedHead, readLedger } from '../integrate/read-ledger.ts';
import { startIntegrationBranch } from '../integrate/start-integration-branch.ts';
import type { Task } from '../plan/plan-schema.ts';
import type { RunReport, TaskStatus, VerifyResult } from '../report/report-model.ts';
import { buildRunReport } from './build-run-report.ts';
import { type IntegrateContext, type IntegrationStep, integrateAttempt } from './integrate-attempt.ts';
import {
  type TaskEntryFields,
  type TaskFacts,
  taskCommitMessage,
  taskLedgerEntry,
  taskLedgerSubject,
} from './record-task-outcome.ts';
import { runTaskAttempt, type TaskAttemptResult } from './run-task-attempt.ts';
import { runVerify } from './run-verify.ts';

/** One task of a run, executed by one job (a matrix entry) against a shared remote. */
export interface RunSingleTaskOptions {
  /** The job's checkout (clean), where the agent works; its remote holds the run's branches. */
  checkoutDir: string;
  /** The shared branches (origin). */
  store: BranchStore;
  runId: string;
  task: Task;
  /** Base branch the integration branch starts from when this job is the first to need it. */
  base: string;
  title: string;
  issueBody?: string;
  config: Config;
  agent: Agent;
  /** Scratch directory for worktrees (conflict resolution, verify). */
  workDir: string;
  /**
   * A trusted ref (e.g. `origin/main`) whose agent configuration (`.claude/`, `CLAUDE.md`, `.mcp.json`, hooks…) is
   * put in place while the agent runs, when the branch worked on may carry someone else's (a PR's head).
   */
  trustedConfigRef?: string;
  /** Environment of the verify command (it runs code the agent wrote): the job's, without tokens. */
  verifyEnv?: NodeJS.ProcessEnv;
  /**
   * Move the integration branch to the run's code after this task's outcome. Off when the App publishes it (it does
   * so once per finish, so the pull request's CI runs once per change of code; a job's token would start none).
   */
  advanceIntegration?: boolean;
  signal?: AbortSignal;
  /**
   * Secret values of the job (the inputs it masks): redacted from the agent's output, and work that holds one fails
   * the task with nothing of it pushed.
   */
  secrets?: readonly string[];
  /**
   * What GitHub refuses from the job's token, left out of the task's commit and kept in its ledger entry for a
   * maintainer: workflow files always, files over `maxFileBytes` (default {@link GITHUB_MAX_FILE_BYTES}).
   */
  withhold?: WithholdRules;
}

/** What one task job did; the report is rebuilt from the ledger after the job's last write. */
export interface SingleTaskResult {
  status: TaskStatus;
  branch: string;
  commit?: string;
  /** The task's work landed (on the ledger, and on the integration branch once published). */
  integrated: boolean;
  /** The ledger already held a landed entry for this task: nothing was run again. */
  alreadyDone: boolean;
  report: RunReport;
  verify?: VerifyResult;
}

/**
 * Runs one task the way a matrix job does: makes sure the run's ledger branch exists on the remote (created at its
 * start entry from the base by whichever job comes first), runs the agent in the checkout on the task branch cut
 * from the run's code as the ledger projects it (never a ledger commit), pushes the task branch even when the agent
 * failed, then integrates with compare-and-swap pushes of the ledger (a rejected push means another job landed
 * first: merge again and retry). Conflicts follow `on_conflict`. Re-running a task whose work already landed does
 * nothing.
 */
export async function runSingleTask(input: RunSingleTaskOptions): Promise<SingleTaskResult> {
  // Whatever an agent writes into the checkout's or the user's git config is undone before each fetch and push.
  const snapshot = await snapshotGitConfig(input.checkoutDir);
  const options = { ...input, store: withGitConfigRestored(input.store, snapshot) };
  const { store, task, config, runId, checkoutDir } = options;
  const branches = runBranches(config.branch_prefix, runId);
  const [env, existing] = await Promise.all([commitIdentityEnv(checkoutDir), store.head(branches.ledger)]);
  const target: LedgerTarget = { store, ledgerBranch: branches.ledger, runId, env };
  const head = existing ?? (await startRun(target, options));
  const ledger = await readLedger(store.repoDir, head, runId);
  const landed = ledger.findLast((entry) => entry.event === 'task' && entry.task === task.id);
  if (landed?.event === 'task' && (landed.status === 'integrated' || landed.status === 'resolved')) {
    return finish(options, target, {
      status: landed.status,
      branch: landed.branch,
      commit: landed.commit,
      alreadyDone: true,
    });
  }

  const worktrees = new WorktreeSet(checkoutDir);
  const agentRuns: TaskFacts['agentRuns'] = [];
  // The first attempt starts from the head and ledger just read; a re-run reads them again.
  let known: LedgerRecord[] | undefined = ledger;
  const attempt = async (branch: string): Promise<TaskFacts> => {
    const startLedger = known ?? (await readLedger(store.repoDir, await store.head(branches.ledger), runId));
    known = undefined;
    const start = projectedHead(startLedger);
    if (start === undefined)
      throw new Error(`\`${branches.ledger}\` holds no start entry of run \`${runId}\``);
    const result: TaskAttemptResult = await runTaskAttempt({
      repoDir: checkoutDir,
      workspace: { kind: 'checkout' },
      dir: checkoutDir,
      branch,
      startCommit: start,
      agent: options.agent,
      agentInput: {
        prompt: buildTaskPrompt({
          task,
          issueTitle: options.title,
          issueBody: options.issueBody,
          dependencies: dependencyNotes(task, startLedger),
        }),
        runId,
        taskId: task.id,
        taskTitle: task.title,
        timeoutMs: config.task_timeout_minutes * 60_000,
        budgetUsd: config.budget.per_task_usd,
        signal: options.signal,
      },
      env: target.env,
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
      commitMessage: (agent) => taskCommitMessage(runId, task, agent),
      withhold: withholdRules(options),
      around:
        options.trustedConfigRef === undefined
          ? undefined
          : protectAgentConfig(options.trustedConfigRef, start),
    });
    agentRuns.push(result.agent);
    // Partial work is kept: the branch is pushed whatever the agent's outcome.
    await publishTaskBranch(store, branch, result.head);
    return {
      runId,
      task,
      branch,
      commit: result.head,
      files: result.files,
      withheld: result.withheld,
      agentRuns,
      attempts: agentRuns.length,
    };
  };
  const keep = async (facts: TaskFacts, fields: TaskEntryFields) => {
    await appendLedgerEntry(target, taskLedgerSubject(task, fields.status), taskLedgerEntry(facts, fields));
    return finish(options, target, {
      status: fields.status,
      branch: facts.branch,
      commit: facts.commit,
      alreadyDone: false,
    });
  };

  try {
    const first = await attempt(branches.task(task.id));
    const lastRun = agentRuns.at(-1)!;
    if (!lastRun.ok)
      return await keep(first, {
        status: 'failed',
        resolution: 'none',
        reason: lastRun.error ?? 'the agent failed',
      });
    const context = integrateContext(options, target, worktrees);
    let step: IntegrationStep = await integrateAttempt(context, task, first);
    let facts = first;
    if ('retry' in step) {
      const earlier = step.retry;
      facts = await attempt(branches.retry(task.id));
      const rerun = agentRuns.at(-1)!;
      if (!rerun.ok) {
        const reason = `re-running after the conflict failed: ${rerun.error ?? 'the agent failed'}; branch \`${first.branch}\` kept`;
        return await keep(facts, {
          status: 'conflicted',
          resolution: 'unresolved',
          conflicts: earlier.files,
          excerpt: earlier.excerpt,
          reason,
        });
      }
      step = await integrateAttempt(context, task, facts, earlier);
    }
    if ('kept' in step) return await keep(facts, step.kept);
    if ('retry' in step) throw new Error('a re-run cannot ask for another re-run');
    const verify = config.verify
      ? await verifyIntegration(options, target, worktrees, config.verify)
      : undefined;
    return finish(options, target, {
      status: step.merged,
      branch: facts.branch,
      commit: facts.commit,
      alreadyDone: false,
      verify,
    });
  } finally {
    await worktrees.removeAll();
  }
}

/** Trusted agent configuration while the agent runs; the branch's own versions back before the commit. */
function protectAgentConfig(trustedRef: string, start: string) {
  return {
    beforeAgent: async (dir: string) => {
      await restoreAgentConfig({ repoDir: dir, baseRef: trustedRef });
    },
    afterAgent: async (dir: string) => {
      await restoreAgentConfig({ repoDir: dir, baseRef: start });
    },
  };
}

/** Creates the run's ledger branch from the base; when another job was faster, uses theirs. */
async function startRun(target: LedgerTarget, options: RunSingleTaskOptions): Promise<string> {
  const baseCommit = await target.store.head(options.base);
  if (baseCommit === undefined) {
    throw new InputError(
      `base branch \`${options.base}\` does not exist on ${target.store.label}; pass base-ref with an existing branch`,
    );
  }
  const started = await startIntegrationBranch(
    target,
    baseCommit,
    `Start run ${options.runId}: ${options.title}`,
    {
      event: 'start',
      run: options.runId,
      base: options.base,
      baseCommit,
      title: options.title,
    },
  );
  return started.head;
}

function dependencyNotes(task: Task, ledger: LedgerRecord[]) {
  return task.depends_on.map((id) => {
    const entry = ledger.findLast((record) => record.event === 'task' && record.task === id);
    return { id, title: id, summary: entry?.event === 'task' ? entry.summary : undefined };
  });
}

function integrateContext(
  options: RunSingleTaskOptions,
  target: LedgerTarget,
  worktrees: WorktreeSet,
): IntegrateContext {
  return {
    target,
    worktrees,
    workDir: options.workDir,
    branches: runBranches(options.config.branch_prefix, options.runId),
    runId: options.runId,
    agent: options.agent,
    config: options.config,
    signal: options.signal,
    taskBudget: () => options.config.budget.per_task_usd,
    spend: () => {},
    onResolving: () => {},
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    withhold: withholdRules(options),
  };
}

function withholdRules(options: RunSingleTaskOptions): WithholdRules {
  return options.withhold ?? { maxFileBytes: GITHUB_MAX_FILE_BYTES };
}

async function verifyIntegration(
  options: RunSingleTaskOptions,
  target: LedgerTarget,
  worktrees: WorktreeSet,
  command: string,
): Promise<VerifyResult> {
  const { projected } = await readLedgerHeads(target);
  return runVerify({
    worktrees,
    workDir: options.workDir,
    commit: projected,
    command,
    timeoutMs: options.config.task_timeout_minutes * 60_000,
    signal: options.signal,
    env: options.verifyEnv,
  });
}

async function finish(
  options: RunSingleTaskOptions,
  target: LedgerTarget,
  outcome: Omit<SingleTaskResult, 'report' | 'integrated'>,
): Promise<SingleTaskResult> {
  const branches = runBranches(options.config.branch_prefix, options.runId);
  if (options.advanceIntegration) await advanceIntegrationBranch(target, branches.integration);
  const ledger = await readLedger(
    options.store.repoDir,
    await options.store.head(branches.ledger),
    options.runId,
  );
  const report = buildRunReport(ledger, {
    runId: options.runId,
    plan: { tasks: [options.task] },
    base: options.base,
    integrationBranch: branches.integration,
    integrationCommit: projectedHead(ledger),
    taskBranch: branches.task,
  });
  return { ...outcome, integrated: outcome.status === 'integrated' || outcome.status === 'resolved', report };
}
