import { findPlanComment } from '../github/publish-plan-comment.ts';
import { runBranches } from '../integrate/branch-names.ts';
import type { Task } from '../plan/plan-schema.ts';
import { matrixJson } from '../plan/ready-matrix.ts';
import { buildRunReport } from '../run/build-run-report.ts';
import { claimName, deriveRunState } from './derive-run-state.ts';
import { dispatchWorkflow } from './dispatch-workflow.ts';
import {
  appendLedgerEntryOnGitHub,
  type BranchTip,
  createBranchAtEntry,
  createRef,
  type RepoRef,
  readBranchTip,
  readLedgerFromGitHub,
} from './github-ledger.ts';
import { openOrUpdatePullRequest } from './open-pull-request.ts';
import type { OrchestratorContext } from './orchestrator.ts';
import { publishCheckRun } from './publish-check-run.ts';
import { issueNumberOfRunId } from './run-id.ts';
import { type RunStart, readRunPlan, readRunStart } from './run-start.ts';
import { upsertStatusComment, upsertStatusText } from './status-comment.ts';

/** Where a run's branches and claims live on GitHub. */
export function runLocation(context: OrchestratorContext, runId: string) {
  const branches = runBranches(context.config.branch_prefix, runId);
  return {
    repo: { owner: context.owner, repo: context.repo } as RepoRef,
    branches,
    dir: branches.directories.at(-1)!,
  };
}

/**
 * Creates a run's integration branch on the base at a start entry holding the plan: the run exists from then on.
 * When it exists already (a redelivery, a concurrent event) nothing changes and false is returned.
 */
export async function startRunOnGitHub(
  context: OrchestratorContext,
  runId: string,
  input: { issueNumber: number; base: string; title: string; start: RunStart },
): Promise<boolean> {
  const { repo, branches } = runLocation(context, runId);
  const baseTip = await readBranchTip(context.octokit, repo, input.base);
  if (baseTip === undefined) throw new Error(`base branch \`${input.base}\` does not exist`);
  return createBranchAtEntry(
    context.octokit,
    repo,
    branches.integration,
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
}

/**
 * The level-triggered heart of the App: re-derives the run from GitHub (ledger on the integration branch, claim
 * refs; the plan comment while planning) and performs only what is missing, each step idempotent: start the run
 * once its plan exists, record skipped dependents, claim and dispatch ready tasks (a claim that already exists
 * means someone else dispatched it), open or update the pull request when every task is done, refresh the status.
 */
export async function reconcileRun(
  context: OrchestratorContext,
  runId: string,
  endedJob?: { taskId: string; conclusion: string; url?: string },
  endedPlan?: { conclusion: string; url?: string },
): Promise<void> {
  const issueNumber = issueNumberOfRunId(runId);
  if (issueNumber === undefined) return;
  const { octokit } = context;
  const { repo, branches, dir } = runLocation(context, runId);
  let { tip, ledger } = await readLedgerFromGitHub(octokit, repo, branches.integration, runId);
  const started = tip === undefined ? undefined : readRunStart(ledger);
  if (tip === undefined || started === undefined) return;
  const { start, base, title } = started;
  let plan = readRunPlan(ledger, start);
  if (plan === undefined) {
    // Still planning: the planning workflow publishes the plan as a record comment by a trusted author.
    const found = await findTrustedPlan(context, runId, issueNumber);
    if (found === undefined) {
      if (endedPlan !== undefined) {
        // The planning workflow ended without publishing a plan: say so instead of leaving people waiting.
        const where = endedPlan.url ? ` ([workflow run](${endedPlan.url}))` : '';
        await upsertStatusText(
          octokit,
          repo,
          issueNumber,
          runId,
          `Planning run \`${runId}\` ended (${endedPlan.conclusion}) without a valid plan${where}. Fix the issue (or add a \`cluster\` plan block) and comment \`/${context.config.command}\` to try again.`,
          context.trustedAuthors,
        );
      }
      return;
    }
    tip = await appendLedgerEntryOnGitHub(
      octokit,
      repo,
      branches.integration,
      `Plan run ${runId}`,
      {
        event: 'plan',
        run: runId,
        excerpt: JSON.stringify({ plan: found.plan, source: found.source }),
      },
      tip,
    );
    ({ ledger } = await readLedgerFromGitHub(octokit, repo, branches.integration, runId));
    plan = readRunPlan(ledger, start);
    if (plan === undefined) return;
  }
  const claims = await listRunRefs(context, dir);
  const config = start.needsApproval ? { ...context.config, approval: 'plan' as const } : context.config;
  let state = deriveRunState(plan, ledger, claims, config);
  if (
    endedJob &&
    endedJob.conclusion !== 'success' &&
    state.tasks.get(endedJob.taskId)?.state === 'running'
  ) {
    // The job ended without the action recording an outcome: record the failure so dependents move on.
    const task = plan.tasks.find((candidate) => candidate.id === endedJob.taskId)!;
    const reason = `its job ended (${endedJob.conclusion}) without recording an outcome${endedJob.url ? `; see ${endedJob.url}` : ''}`;
    tip = await recordOutcome(
      context,
      runId,
      task,
      { status: 'failed', branch: branches.task(task.id), reason },
      tip,
    );
    ({ ledger } = await readLedgerFromGitHub(octokit, repo, branches.integration, runId));
    state = deriveRunState(plan, ledger, claims, config);
  }

  let head: BranchTip | undefined = tip;
  for (const skip of state.toSkip) {
    const task = plan.tasks.find((candidate) => candidate.id === skip.id)!;
    head = await recordOutcome(
      context,
      runId,
      task,
      { status: 'skipped', branch: '', reason: skip.reason },
      head,
    );
  }
  // Claimed earlier but never sent (the dispatch request failed): send them with this wave.
  const toDispatch: Task[] = state.undispatched.map((id) => plan.tasks.find((task) => task.id === id)!);
  for (const id of state.ready) {
    const attempt = state.tasks.get(id)?.attempt ?? 1;
    if (await createRef(octokit, repo, `${dir}/${claimName(id, attempt)}`, head.sha)) {
      toDispatch.push(plan.tasks.find((task) => task.id === id)!);
    }
  }
  if (toDispatch.length > 0) {
    await dispatchWorkflow(octokit, repo, context.config.workflow, context.defaultBranch, {
      'run-id': runId,
      'issue-number': issueNumber,
      'base-ref': base,
      mode: 'task',
      tasks: matrixJson(toDispatch.map((task) => matrixEntry(task, start))),
      'max-parallel': context.config.max_parallel,
    });
    // Recorded after the dispatch: a failure in between re-sends the wave (the jobs find landed work and stop).
    const claims = toDispatch.map((task) => claimName(task.id, state.tasks.get(task.id)?.attempt ?? 1));
    head = await appendLedgerEntryOnGitHub(
      octokit,
      repo,
      branches.integration,
      `Dispatch ${claims.length} task(s)`,
      {
        event: 'dispatch',
        run: runId,
        excerpt: JSON.stringify({ claims }),
      },
    );
  }
  // Claims do not change the ledger; skipped entries do, and the report shows their reasons.
  if (state.toSkip.length > 0)
    ({ ledger } = await readLedgerFromGitHub(octokit, repo, branches.integration, runId));
  const live = new Map(
    [...state.tasks].map(([id, task]) => [id, state.ready.includes(id) ? 'running' : task.state] as const),
  );
  const report = buildRunReport(ledger, {
    runId,
    plan,
    base,
    integrationBranch: branches.integration,
    taskBranch: branches.task,
    liveStates: live,
    footer: start.pullRequest === undefined ? `Closes #${issueNumber}` : `Requested in #${start.pullRequest}`,
  });
  if (state.finished && !state.cancelled) {
    const pull = await openOrUpdatePullRequest(octokit, repo, {
      report,
      title: `claude-cluster: ${title}`,
      draft: context.config.draft,
    });
    report.footer = `${report.footer}\n\nPull request: #${pull}`;
    const integrationHead = ledger.at(-1)?.ledgerCommit;
    if (integrationHead) await publishCheckRun(octokit, repo, integrationHead, report);
  }
  await upsertStatusComment(octokit, repo, issueNumber, report, context.trustedAuthors);
}

/** Appends a task outcome the orchestrator decided (a job that ended silently, a skipped dependent) to the ledger. */
async function recordOutcome(
  context: OrchestratorContext,
  runId: string,
  task: Task,
  outcome: { status: 'failed' | 'skipped'; branch: string; reason: string },
  tip: BranchTip | undefined,
): Promise<BranchTip> {
  const { repo, branches } = runLocation(context, runId);
  return appendLedgerEntryOnGitHub(
    context.octokit,
    repo,
    branches.integration,
    `Record task ${task.id} as ${outcome.status}: ${task.title}`,
    {
      event: 'task',
      run: runId,
      task: task.id,
      status: outcome.status,
      branch: outcome.branch,
      files: [],
      conflicts: [],
      resolution: 'none',
      reason: outcome.reason,
    },
    tip,
  );
}

/** Every branch below the run's directory, relative to it (`claims/api`, `tasks/api`, `integration`…). */
export async function listRunRefs(context: OrchestratorContext, dir: string): Promise<Set<string>> {
  const refs = await context.octokit.paginate(context.octokit.rest.git.listMatchingRefs, {
    owner: context.owner,
    repo: context.repo,
    ref: `heads/${dir}/`,
    per_page: 100,
  });
  const prefix = `refs/heads/${dir}/`;
  return new Set(
    refs
      .map((ref) => ref.ref)
      .filter((ref) => ref.startsWith(prefix))
      .map((ref) => ref.slice(prefix.length)),
  );
}

/** A task as one matrix entry, with the requester's extra instructions added to its prompt. */
function matrixEntry(task: Task, start: RunStart) {
  const extra = start.extraInstructions?.trim();
  return {
    id: task.id,
    title: task.title,
    prompt: extra
      ? `${task.prompt}\n\nAdditional instructions from @${start.requestedBy}:\n${extra}`
      : task.prompt,
    depends_on: task.depends_on,
    files: task.files,
  };
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
