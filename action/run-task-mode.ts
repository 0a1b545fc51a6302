import type { Agent } from '../core/agent/agent-contract.ts';
import type { Config } from '../core/config/config-schema.ts';
import { EnvironmentError } from '../core/errors/errors.ts';
import { commitIdentityEnv } from '../core/git/commit-identity.ts';
import { assertPushTarget } from '../core/git/guard-push-target.ts';
import { runGit } from '../core/git/run-git.ts';
import { runBranches } from '../core/integrate/branch-names.ts';
import { remoteBranchStore } from '../core/integrate/remote-branch-store.ts';
import { readRunStart } from '../core/orchestrate/run-start.ts';
import { renderReport } from '../core/report/render-report.ts';
import { awaitDispatchOwner } from '../core/run/await-dispatch-owner.ts';
import { redactSecrets } from '../core/run/job-secrets.ts';
import { runSingleTask, type SingleTaskResult } from '../core/run/run-single-task.ts';
import type { ActionOutputName } from './action-inputs.ts';
import { parseTaskInput } from './parse-task-input.ts';

/** What task mode needs, already read and validated by the entry point. */
export interface TaskModeInput {
  taskJson: string | undefined;
  runId: string;
  base: string;
  /** The issue's title and text for the agent's context; read only once the job knows it will work. */
  readIssue: () => Promise<{ title?: string; body?: string }>;
  /**
   * The checkout's configuration with the action inputs applied: used only when the run's start entry records no
   * configuration (a run not started by the App, or by an older one).
   */
  config: Config;
  /**
   * Applies the action inputs that override configuration keys (the workflow file's choices, as for `config`) over
   * the configuration the run's start entry records.
   */
  applyInputs: (config: Config) => Config;
  /** The job's checkout (`GITHUB_WORKSPACE`). */
  workspace: string;
  /** Scratch space (`RUNNER_TEMP`). */
  tempDir: string;
  /** Trusted branch whose agent configuration is used (the repository's default branch). */
  trustedConfigRef?: string;
  /** Environment of the verify command: the job's without tokens or secrets. */
  verifyEnv?: NodeJS.ProcessEnv;
  /** Credentials for the engine's own fetches and pushes (never given to the agent). */
  gitEnv?: NodeJS.ProcessEnv;
  /** Built lazily, for the run's configuration: a malformed task input is refused before anything is installed. */
  createAgent: (config: Config) => Promise<Agent>;
  setOutput: (name: ActionOutputName, value: string) => void;
  /** How long to wait for the App to record this job's dispatch (default two minutes). */
  dispatchTimeoutMs?: number;
  writeSummary: (markdown: string) => Promise<void>;
  /** The job's secret values (the inputs it masks): never committed, pushed or written to the summary. */
  secrets?: readonly string[];
  signal?: AbortSignal;
}

/** The job's verdict: a failure message when the task's work did not land. */
export type TaskModeOutcome =
  | { result: SingleTaskResult; failure?: string }
  /** Another dispatch owns the task (or the run was cancelled): nothing was run, and that is no failure. */
  | { standDown: string };

/** How long a job waits for the App to record its dispatch. */
const DISPATCH_RECORD_TIMEOUT_MS = 120_000;

/**
 * Task mode: runs one matrix entry with the engine against origin, sets the outputs and writes the job summary. Only
 * git access to origin is needed; the summary is an extra whose failure never loses the work.
 */
export async function runTaskMode(input: TaskModeInput): Promise<TaskModeOutcome> {
  const { task, dispatch, branchPrefix } = parseTaskInput(input.taskJson);
  await assertFullHistory(input.workspace);
  // The App says where the run lives: the checkout's file may not be the configuration the run started with.
  const prefixOfRun = branchPrefix ?? input.config.branch_prefix;
  const branches = runBranches(prefixOfRun, input.runId);
  const prefix = `${branches.directories.at(-1)}/`;
  const store = remoteBranchStore({
    repoDir: input.workspace,
    remote: 'origin',
    env: input.gitEnv,
    // Reads may look at the base; every push must stay under this run's branches.
    guardPush: (remote, branch) => assertPushTarget({ remote, branch, allowedPrefix: prefix }),
  });
  let started: ReturnType<typeof readRunStart>;
  if (dispatch !== undefined) {
    const verdict = await awaitDispatchOwner({
      store,
      ledgerBranch: branches.ledger,
      runId: input.runId,
      taskId: task.id,
      token: dispatch,
      timeoutMs: input.dispatchTimeoutMs ?? DISPATCH_RECORD_TIMEOUT_MS,
      env: await commitIdentityEnv(input.workspace),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (verdict.kind === 'not-owner') {
      input.setOutput('status', 'not-run');
      return { standDown: verdict.reason };
    }
    started = readRunStart(verdict.ledger);
  }
  // The App's start entry holds the run's configuration (the App read it, with the owner's `.github` fallback, from
  // the default branch) and the issue's text: no checkout file and no API request decide them.
  const recorded = started?.start.config;
  const config: Config = {
    ...(recorded === undefined ? input.config : input.applyInputs(recorded)),
    branch_prefix: prefixOfRun,
  };
  const fromStart = started?.start.issueBody === undefined ? undefined : started;
  const [agent, issue] = await Promise.all([
    input.createAgent(config),
    fromStart ? { title: fromStart.title, body: fromStart.start.issueBody } : input.readIssue(),
  ]);
  const result = await runSingleTask({
    checkoutDir: input.workspace,
    store,
    runId: input.runId,
    task,
    base: input.base,
    title: issue.title ?? `Run ${input.runId}`,
    issueBody: issue.body,
    config,
    agent,
    workDir: `${input.tempDir}/claude-cluster-${input.runId}-${task.id}`,
    trustedConfigRef: input.trustedConfigRef,
    verifyEnv: input.verifyEnv,
    // The App publishes the integration branch itself; a job run without it keeps the branch current.
    advanceIntegration: dispatch === undefined,
    signal: input.signal,
    ...(input.secrets === undefined ? {} : { secrets: input.secrets }),
  });
  const outcome = result.report.tasks[0]!;
  input.setOutput('status', result.status);
  input.setOutput('branch', result.branch);
  input.setOutput('commit', result.commit ?? '');
  input.setOutput('integrated', String(result.integrated));
  input.setOutput(
    'conflicts',
    JSON.stringify(
      outcome.conflicts.map((conflict) => ({ files: conflict.files, resolution: conflict.resolution })),
    ),
  );
  input.setOutput('cost-usd', String(outcome.costUsd ?? 0));
  input.setOutput('turns', String(outcome.turns ?? 0));
  // Redacted again as a whole: the report is rebuilt from ledger entries other jobs wrote too.
  const secrets = input.secrets ?? [];
  const summary = redactSecrets(renderReport(result.report, { maxLength: 1_000_000 }), secrets);
  await input.writeSummary(summary).catch(() => undefined);
  const failure = failureMessage(task.id, result);
  return { result, failure: failure === undefined ? undefined : redactSecrets(failure, secrets) };
}

function failureMessage(taskId: string, result: SingleTaskResult): string | undefined {
  const reason = result.report.tasks[0]?.reason;
  if (result.status === 'failed') {
    return `task \`${taskId}\` failed: ${reason ?? 'the agent failed'}. Its partial work is on branch \`${result.branch}\`.`;
  }
  if (result.status === 'conflicted') {
    return `task \`${taskId}\` was not integrated: ${reason ?? 'it conflicts with the integration branch'}.`;
  }
  return undefined;
}

/** Merges need history: a shallow checkout cannot find merge bases. */
async function assertFullHistory(workspace: string): Promise<void> {
  const shallow = await runGit(['rev-parse', '--is-shallow-repository'], { cwd: workspace });
  if (shallow.stdout.trim() === 'true') {
    throw new EnvironmentError(
      'the checkout is shallow, so branches cannot be merged; use actions/checkout with `fetch-depth: 0`',
    );
  }
}
