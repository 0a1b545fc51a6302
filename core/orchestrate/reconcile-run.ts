import { findPlanComment } from '../github/publish-plan-comment.ts';
import { runBranches } from '../integrate/branch-names.ts';
import { type LedgerRecord, projectedHead } from '../integrate/read-ledger.ts';
import { buildRunReport } from '../run/build-run-report.ts';
import { advanceRun, type EndedJob } from './advance-run.ts';
import type { RunState } from './derive-run-state.ts';
import {
  appendLedgerEntryOnGitHub,
  type BranchTip,
  createBranchAtEntry,
  type RepoRef,
  readBranchTip,
  readLedgerFromGitHub,
} from './github-ledger.ts';
import type { OrchestratorContext } from './orchestrator.ts';
import type { OrchestratorMemory } from './orchestrator-memory.ts';
import { publishRunProgress } from './publish-run-progress.ts';
import { issueNumberOfRunId } from './run-id.ts';
import { type RunStart, readRunPlan, readRunStart, runConfigOf } from './run-start.ts';
import { upsertStatusText } from './status-comment.ts';

/** Where a run's branches live on GitHub. */
export function runLocation(context: OrchestratorContext, runId: string) {
  const branches = runBranches(context.config.branch_prefix, runId);
  return {
    repo: { owner: context.owner, repo: context.repo } as RepoRef,
    branches,
    dir: branches.directories.at(-1)!,
  };
}

/**
 * Creates a run's ledger branch on the base at a start entry holding the plan: the run exists from then on (its
 * integration branch appears at the finish, see publish-integration-branch.ts).
 * Returns the new branch's tip and ledger; when it exists already (a redelivery, a concurrent event) nothing changes
 * and undefined is returned.
 */
export async function startRunOnGitHub(
  context: OrchestratorContext,
  runId: string,
  input: { issueNumber: number; base: string; title: string; start: RunStart },
): Promise<{ tip: BranchTip; ledger: LedgerRecord[] } | undefined> {
  const { repo, branches } = runLocation(context, runId);
  const baseTip = await readBranchTip(context.octokit, repo, input.base);
  if (baseTip === undefined) throw new Error(`base branch \`${input.base}\` does not exist`);
  const created = await createBranchAtEntry(
    context.octokit,
    repo,
    branches.ledger,
    baseTip,
    `Start run ${runId}: ${input.title}`,
    {
      event: 'start',
      run: runId,
      base: input.base,
      baseCommit: baseTip.sha,
      title: input.title,
      issue: input.issueNumber,
      excerpt: JSON.stringify(input.start),
    },
  );
  return created && { tip: created.tip, ledger: created.records };
}

/** What prompted a reconcile, beyond "something about this run changed". */
export interface ReconcileSignals {
  /** A task job that ended (`workflow_job.completed`). */
  endedJob?: EndedJob;
  /** The planning workflow run ended (`workflow_run.completed` of a `(plan)` run). */
  endedPlan?: { conclusion: string; url?: string };
  /** The ledger of a run the caller created just now: saves reading it back, and looking for what cannot exist yet. */
  known?: { tip: BranchTip; ledger: LedgerRecord[] };
}

/**
 * The level-triggered heart of the App: re-derives the run from GitHub (the ledger on its ledger branch; the
 * plan comment while planning) and performs only what is missing, each step idempotent: record the plan once it
 * exists, record outcomes the orchestrator decides, dispatch ready tasks (see {@link advanceRun}), open or update
 * the pull request when every task is done, and refresh the status comment and check run.
 */
export async function reconcileRun(
  context: OrchestratorContext,
  memory: OrchestratorMemory,
  runId: string,
  signals: ReconcileSignals = {},
): Promise<void> {
  const issueNumber = issueNumberOfRunId(runId);
  if (issueNumber === undefined) return;
  const { octokit } = context;
  const { repo, branches } = runLocation(context, runId);
  let { tip, ledger } = signals.known ?? (await readLedgerFromGitHub(octokit, repo, branches.ledger, runId));
  const started = tip === undefined ? undefined : readRunStart(ledger);
  if (tip === undefined || started === undefined) return;
  const { start, base, title } = started;
  const status = {
    octokit,
    repo,
    issueNumber,
    runId,
    trustedAuthors: context.trustedAuthors,
    known: memory.statusComments,
    clock: memory.clock,
  };
  let plan = readRunPlan(ledger, start);
  if (plan === undefined) {
    // Still planning: the planning workflow publishes the plan as a record comment by a trusted author (not yet
    // when the caller has just started the run).
    const found = signals.known ? undefined : await findTrustedPlan(context, runId, issueNumber);
    if (found === undefined) {
      // The planning workflow ended without publishing a plan: say so instead of leaving people waiting.
      const where = signals.endedPlan?.url ? ` ([workflow run](${signals.endedPlan.url}))` : '';
      const text = signals.endedPlan
        ? `Planning run \`${runId}\` ended (${signals.endedPlan.conclusion}) without a valid plan${where}. Fix the issue (or add a \`cluster\` plan block) and comment \`/${context.config.command}\` to try again.`
        : `Planning run \`${runId}\` with Claude Code (requested by @${start.requestedBy}); the plan will appear here.`;
      await upsertStatusText(status, text, {
        final: signals.endedPlan !== undefined,
        fresh: signals.known !== undefined,
      });
      return;
    }
    const appended = await appendLedgerEntryOnGitHub(
      octokit,
      repo,
      branches.ledger,
      `Plan run ${runId}`,
      { event: 'plan', run: runId, excerpt: JSON.stringify({ plan: found.plan, source: found.source }) },
      tip,
    );
    ({ tip, ledger } = await readLedgerFromGitHub(octokit, repo, branches.ledger, runId));
    tip ??= appended;
    plan = readRunPlan(ledger, start);
    if (plan === undefined) return;
  }
  // The configuration the run started with, not whatever the repository's file says now.
  const config = runConfigOf(start, context.config);
  const advanced = await advanceRun({
    context,
    runId,
    repo,
    ledgerBranch: branches.ledger,
    taskBranch: branches.task,
    issueNumber,
    base,
    start,
    plan,
    config,
    ledger,
    tip,
    ...(signals.endedJob ? { endedJob: signals.endedJob } : {}),
  });
  const { state } = advanced;
  const report = buildRunReport(advanced.ledger, {
    runId,
    plan,
    base,
    integrationBranch: branches.integration,
    taskBranch: branches.task,
    liveStates: new Map([...state.tasks].map(([id, task]) => [id, task.state])),
    jobUrls: jobUrls(context, state),
    footer: start.pullRequest === undefined ? `Closes #${issueNumber}` : `Requested in #${start.pullRequest}`,
  });
  await publishRunProgress(context, memory, {
    repo,
    runId,
    issueNumber,
    title,
    report,
    state,
    projectedSha: projectedHead(advanced.ledger) ?? advanced.tip.sha,
    notes: statusNotes(context, start, plan.tasks.length, state),
    retried: advanced.ledger.some((record) => record.event === 'retry'),
    fresh: signals.known !== undefined,
    draft: config.draft,
  });
}

/** The workflow run of each dispatched task, linked from the status table (https addresses only). */
function jobUrls(context: OrchestratorContext, state: RunState): Map<string, string> {
  const urls = new Map<string, string>();
  if (!context.repoUrl?.startsWith('https://')) return urls;
  for (const [id, task] of state.tasks) {
    const run = task.dispatch?.workflowRun;
    if (run !== undefined) urls.set(id, `${context.repoUrl}/actions/runs/${run}`);
  }
  return urls;
}

/** The lines above the status table: who started the run from what, and what it waits for. */
function statusNotes(
  context: OrchestratorContext,
  start: RunStart,
  taskCount: number,
  state: RunState,
): string[] {
  const source = start.source === 'agent' ? 'planned by Claude Code' : `from the issue's ${start.source}`;
  const notes = [`Requested by @${start.requestedBy}: ${taskCount} task(s) ${source}.`];
  if (state.cancelled)
    notes.push('**Cancelled**: no more tasks start; work that landed stays on the branch.');
  else if (!state.approved)
    notes.push(
      `**Waiting for approval**: review the plan below, then comment \`/${context.config.command} approve\` to start.`,
    );
  return notes;
}

/** The plan the planning workflow published for the run, from a record comment by a trusted author. */
async function findTrustedPlan(context: OrchestratorContext, runId: string, issueNumber: number) {
  for (const author of context.trustedAuthors) {
    const found = await findPlanComment(context.octokit, {
      owner: context.owner,
      repo: context.repo,
      issueNumber,
      botLogin: author,
      runId,
    });
    if (found !== undefined) return found.record;
  }
  return undefined;
}
