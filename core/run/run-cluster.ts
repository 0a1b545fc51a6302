import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from '../agent/agent-contract.ts';
import type { Config } from '../config/config-schema.ts';
import { commitIdentityEnv } from '../git/commit-identity.ts';
import { WorktreeSet } from '../git/worktrees.ts';
import { advanceIntegrationBranch } from '../integrate/advance-integration-branch.ts';
import type { LedgerTarget } from '../integrate/append-ledger-entry.ts';
import { runBranches } from '../integrate/branch-names.ts';
import { localBranchStore } from '../integrate/branch-store.ts';
import { readLedger } from '../integrate/read-ledger.ts';
import { startIntegrationBranch } from '../integrate/start-integration-branch.ts';
import type { Logger } from '../log/create-logger.ts';
import type { Plan } from '../plan/plan-schema.ts';
import type { RunReport, TaskState } from '../report/report-model.ts';
import { buildRunReport } from './build-run-report.ts';
import { preflightRun } from './preflight-run.ts';
import type { RunEventListener } from './run-events.ts';
import { RunExecution } from './run-execution.ts';

/** Everything a local run needs. */
export interface RunClusterOptions {
  /** The repository (any directory inside it). */
  repoDir: string;
  /** Branch (or commit-ish) the integration branch starts from. */
  base: string;
  runId: string;
  /** Title of the issue or request. */
  title: string;
  /** The issue's text, given to agents as data. */
  issueBody?: string;
  plan: Plan;
  /** Repository configuration with any command-line overrides applied. */
  config: Config;
  agent: Agent;
  /** Aborting stops every agent, records what was done and removes the worktrees. */
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  /** Structured log of the engine's steps; silent by default. */
  logger?: Logger;
  /** Where worktrees are created; a fresh temporary directory by default. */
  workDir?: string;
  /**
   * Secret values (tokens, model keys) the run must never publish: redacted from agents' output, and a task whose
   * work holds one fails with nothing of it committed.
   */
  secrets?: readonly string[];
}

/**
 * Runs a whole plan on a local repository: the ledger and integration branches are created from the base, ready
 * tasks start in critical-path order up to `max_parallel`, each in its own worktree on its own branch made from the
 * integration branch as it stands, and each finished branch is merged at once (conflicts handled per
 * `on_conflict`). A failed task's dependents are skipped; the others still land. Every outcome is a commit on the
 * ledger branch; the integration branch follows with the start commit and one merge per landed task. The report
 * returned is rebuilt from the ledger. The user's checkout is never touched.
 */
export async function runCluster(input: RunClusterOptions): Promise<RunReport> {
  const log = input.logger?.child({ run: input.runId });
  // Every progress event is also a debug log line, so a run can be traced without a live view.
  const options: RunClusterOptions = {
    ...input,
    onEvent: (event) => {
      log?.debug(event, event.type);
      input.onEvent?.(event);
    },
  };
  const { config, plan, runId } = options;
  const branches = runBranches(config.branch_prefix, runId);
  const repo = await preflightRun(options.repoDir, options.base, branches);
  await options.agent.preflight();

  const env = await commitIdentityEnv(repo.repoDir);
  const target: LedgerTarget = {
    store: localBranchStore(repo.repoDir),
    ledgerBranch: branches.ledger,
    runId,
    env,
  };
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), `claude-cluster-${runId}-`)));
  const worktrees = new WorktreeSet(repo.repoDir);
  const live = new Map<string, TaskState>();
  try {
    const start = await startIntegrationBranch(
      target,
      repo.baseCommit,
      `Start run ${runId}: ${options.title}`,
      {
        event: 'start',
        run: runId,
        base: options.base,
        baseCommit: repo.baseCommit,
        title: options.title,
      },
    );
    if (!start.created) {
      throw new Error(`ledger branch \`${branches.ledger}\` appeared while the run was starting`);
    }
    await advanceIntegrationBranch(target, branches.integration);
    options.onEvent?.({
      type: 'run-started',
      runId,
      integrationBranch: branches.integration,
      tasks: plan.tasks.length,
    });
    const execution = new RunExecution(options, branches, target, worktrees, workDir, live);
    await execution.execute();
    if (config.verify && !options.signal?.aborted) await execution.verify(config.verify);
  } finally {
    await worktrees.removeAll();
    if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
    options.onEvent?.({ type: 'run-finished', runId });
  }
  const integrationCommit = await target.store.head(branches.integration);
  const ledger = await readLedger(repo.repoDir, await target.store.head(branches.ledger), runId);
  return buildRunReport(ledger, {
    runId,
    plan,
    base: options.base,
    integrationBranch: branches.integration,
    integrationCommit,
    taskBranch: branches.task,
    liveStates: live,
  });
}
