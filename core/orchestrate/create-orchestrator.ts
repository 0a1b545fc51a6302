import { sanitizeUntrustedText } from '../agent/sanitize-untrusted-text.ts';
import { InputError } from '../errors/errors.ts';
import { requestStatus } from '../github/octokit-types.ts';
import { readIssuePlan } from '../plan/read-issue-plan.ts';
import { type Clock, systemClock } from '../time/clock.ts';
import { deriveRunState } from './derive-run-state.ts';
import { dispatchWorkflow } from './dispatch-workflow.ts';
import { appendLedgerEntryOnGitHub, readBranchTip, readLedgerFromGitHub } from './github-ledger.ts';
import type { CommandReply, Orchestrator, OrchestratorContext, RetrySelection } from './orchestrator.ts';
import { createOrchestratorMemory } from './orchestrator-memory.ts';
import { reconcileRun, runLocation, startRunOnGitHub } from './reconcile-run.ts';
import { issueNumberOfRunId, runIdForTrigger } from './run-id.ts';
import { readRunPlan, readRunStart, runConfigOf } from './run-start.ts';

/** The orchestrator the App and the zero-hosting workflow use; `clock` paces its status edits (tests inject one). */
export function createOrchestrator(options: { clock?: Clock } = {}): Orchestrator {
  const memory = createOrchestratorMemory(options.clock ?? systemClock);
  return {
    startRun: async (context, request) => {
      const runId = runIdForTrigger(request.issueNumber, request.triggerId);
      const base = request.pullRequest?.headRef ?? context.defaultBranch;
      // What readers of the issue see is what runs: hidden markup never carries a plan.
      const issueBody = sanitizeUntrustedText(request.body);
      const found = readIssuePlan(issueBody, { maxTasks: context.config.max_tasks });
      const needsApproval = request.planOnly || context.config.approval === 'plan';
      const created = await startRunOnGitHub(context, runId, {
        issueNumber: request.issueNumber,
        base,
        title: request.title,
        start: {
          ...(found.source === 'none' ? {} : { plan: found.plan }),
          source: found.source === 'none' ? 'agent' : found.source,
          requestedBy: request.requestedBy,
          ...(request.extraInstructions ? { extraInstructions: request.extraInstructions } : {}),
          needsApproval,
          ...(request.pullRequest ? { pullRequest: request.pullRequest.number } : {}),
          ...(issueBody.trim() === '' ? {} : { issueBody: issueBody.slice(0, 65_536) }),
          config: context.config,
        },
      });
      // A redelivered or concurrent event finds the run started: only the creator plans it.
      if (!created) {
        await reconcileRun(context, memory, runId);
        return {};
      }
      // The run's status comment is the answer: it says who started what, and what the run waits for.
      if (found.source === 'none') {
        await dispatchWorkflow(
          context.octokit,
          runLocation(context, runId).repo,
          context.config.workflow,
          context.defaultBranch,
          {
            'run-id': runId,
            'issue-number': request.issueNumber,
            'base-ref': base,
            mode: 'plan',
            // Where the run's ledger lives: the planning job reads the configuration recorded in its start entry.
            tasks: JSON.stringify({ branch_prefix: context.config.branch_prefix }),
          },
        );
      }
      await reconcileRun(context, memory, runId, { known: created });
      return {};
    },

    approveRun: async (context, request) => {
      const runId = await latestRunId(context, request.issueNumber);
      await appendControl(
        context,
        runId,
        { event: 'approve', by: request.approvedBy },
        `Approve run ${runId}`,
      );
      await reconcileRun(context, memory, runId);
      return {
        comment: `Run \`${runId}\` approved by @${request.approvedBy}; its ready tasks are starting.`,
      };
    },

    showStatus: async (context, request) => {
      await reconcileRun(context, memory, await latestRunId(context, request.issueNumber));
      return {};
    },

    cancelRun: async (context, request) => {
      const runId = await latestRunId(context, request.issueNumber);
      await appendControl(
        context,
        runId,
        { event: 'cancel', by: request.cancelledBy },
        `Cancel run ${runId}`,
      );
      const cancelled = await cancelWorkflowRuns(context, runId);
      await reconcileRun(context, memory, runId);
      return {
        comment: `Run \`${runId}\` cancelled by @${request.cancelledBy}; ${cancelled} workflow run(s) stopped.`,
      };
    },

    retryTasks: async (context, request) => {
      const runId = await latestRunId(context, request.issueNumber);
      const ids = await tasksToRetry(context, runId, request.selection);
      if (ids.length === 0)
        return { comment: `Run \`${runId}\` has no failed, conflicted or skipped task to retry.` };
      for (const task of ids) {
        await appendControl(
          context,
          runId,
          { event: 'retry', task, by: request.requestedBy },
          `Retry task ${task}`,
        );
      }
      await reconcileRun(context, memory, runId);
      return {
        comment: `Retrying ${ids.map((id) => `\`${id}\``).join(', ')} on the run's code as it stands.`,
      };
    },

    reconcileRun: (context, request) =>
      reconcileRun(context, memory, request.runId, {
        ...(request.endedJob ? { endedJob: request.endedJob } : {}),
        ...(request.endedPlan ? { endedPlan: request.endedPlan } : {}),
      }),

    cleanupRun: async (context, request) => {
      const dir = request.integrationBranch.replace(/\/integration$/, '');
      const runId = dir.split('/').at(-1) ?? '';
      const { repo, branches } = runLocation(context, runId);
      // A merged pull request is never opened again: only a closed one needs the entry (on a ledger that exists).
      const tip =
        request.merged ||
        issueNumberOfRunId(runId) === undefined ||
        branches.integration !== request.integrationBranch
          ? undefined
          : await readBranchTip(context.octokit, repo, branches.ledger);
      if (tip !== undefined) {
        await appendLedgerEntryOnGitHub(
          context.octokit,
          repo,
          branches.ledger,
          `Close run ${runId}: its pull request was closed`,
          { event: 'close', run: runId },
          tip,
        );
      }
      const refs = await listRunBranches(context, dir);
      for (const name of refs) {
        // The pull request's head and the run's record stay: only the task branches go.
        if (name === 'integration' || name === 'ledger') continue;
        await context.octokit.rest.git
          .deleteRef({ owner: context.owner, repo: context.repo, ref: `heads/${dir}/${name}` })
          .catch((error: unknown) => {
            // Already gone (another cleanup was faster) is the wanted state.
            const status = requestStatus(error);
            if (status !== 422 && status !== 404) throw error;
          });
      }
    },
  };
}

/** The issue's most recent run (its ledger branch), or an InputError saying there is none. */
async function latestRunId(context: OrchestratorContext, issueNumber: number): Promise<string> {
  const refs = await context.octokit.paginate(context.octokit.rest.git.listMatchingRefs, {
    owner: context.owner,
    repo: context.repo,
    // GitHub answers every matching ref at once: the operation takes no `per_page`.
    ref: `heads/${context.config.branch_prefix}/${issueNumber}-`,
  });
  const runIds = refs
    .map((ref) => /\/(\d+-[0-9a-f]{8})\/ledger$/.exec(ref.ref)?.[1])
    .filter((id): id is string => id !== undefined && issueNumberOfRunId(id) === issueNumber);
  if (runIds.length === 0) {
    throw new InputError(
      `issue #${issueNumber} has no run yet; comment \`/${context.config.command}\` to start one`,
    );
  }
  // Several runs: the one whose start entry is newest.
  let latest = runIds[0]!;
  let latestTime = '';
  for (const runId of runIds) {
    const { data } = await context.octokit.rest.repos.getBranch({
      owner: context.owner,
      repo: context.repo,
      branch: runLocation(context, runId).branches.ledger,
    });
    const time = data.commit.commit.committer?.date ?? '';
    if (time >= latestTime) [latest, latestTime] = [runId, time];
  }
  return latest;
}

async function appendControl(
  context: OrchestratorContext,
  runId: string,
  fields: { event: 'approve' | 'cancel' | 'retry'; by: string; task?: string },
  subject: string,
): Promise<void> {
  const { repo, branches } = runLocation(context, runId);
  await appendLedgerEntryOnGitHub(context.octokit, repo, branches.ledger, subject, {
    run: runId,
    ...fields,
  });
}

/**
 * Stops the run's unfinished workflow runs: those its `dispatch` entries recorded for tasks still in flight, and,
 * when a dispatch was not told its workflow run (an older server) or the run is still planning, the queued and
 * running ones whose run-name carries the run id.
 */
async function cancelWorkflowRuns(context: OrchestratorContext, runId: string): Promise<number> {
  const { repo, branches } = runLocation(context, runId);
  const { ledger } = await readLedgerFromGitHub(context.octokit, repo, branches.ledger, runId);
  const started = readRunStart(ledger);
  const plan = started && readRunPlan(ledger, started.start);
  const ids = new Set<number>();
  let unknown = plan === undefined;
  if (plan !== undefined && started !== undefined) {
    const state = deriveRunState(plan, ledger, runConfigOf(started.start, context.config));
    for (const id of state.inFlight) {
      const run = state.tasks.get(id)?.dispatch?.workflowRun;
      if (run === undefined) unknown = true;
      else ids.add(run);
    }
  }
  if (unknown) for (const id of await listUnfinishedRuns(context, runId)) ids.add(id);
  let cancelled = 0;
  for (const id of ids) {
    try {
      await context.octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: id });
      cancelled++;
    } catch (error) {
      // 409: it finished meanwhile, which is what cancelling wanted.
      if (requestStatus(error) !== 409) throw error;
    }
  }
  return cancelled;
}

/** Queued and running dispatched workflow runs whose run-name carries the run id. */
async function listUnfinishedRuns(context: OrchestratorContext, runId: string): Promise<number[]> {
  const ids: number[] = [];
  for (const status of ['queued', 'in_progress'] as const) {
    const { data } = await context.octokit.rest.actions.listWorkflowRunsForRepo({
      owner: context.owner,
      repo: context.repo,
      status,
      event: 'workflow_dispatch',
      per_page: 100,
    });
    for (const run of data.workflow_runs)
      if ((run.name ?? '').startsWith(`claude-cluster ${runId} (`)) ids.push(run.id);
  }
  return ids;
}

/** Every branch below the run's directory, relative to it (`tasks/api`, `integration`…). */
async function listRunBranches(context: OrchestratorContext, dir: string): Promise<Set<string>> {
  const refs = await context.octokit.paginate(context.octokit.rest.git.listMatchingRefs, {
    owner: context.owner,
    repo: context.repo,
    ref: `heads/${dir}/`,
  });
  const prefix = `refs/heads/${dir}/`;
  return new Set(
    refs
      .map((ref) => ref.ref)
      .filter((ref) => ref.startsWith(prefix))
      .map((ref) => ref.slice(prefix.length)),
  );
}

/** The tasks a `/cluster retry` re-runs: the chosen one (or every failed and conflicted one) and its skipped dependents. */
async function tasksToRetry(
  context: OrchestratorContext,
  runId: string,
  selection: RetrySelection,
): Promise<string[]> {
  const { repo, branches } = runLocation(context, runId);
  const { ledger } = await readLedgerFromGitHub(context.octokit, repo, branches.ledger, runId);
  const started = readRunStart(ledger);
  const plan = started && readRunPlan(ledger, started.start);
  if (started === undefined || plan === undefined)
    throw new InputError(`run \`${runId}\` has no plan yet; wait for the plan before retrying`);
  const state = deriveRunState(plan, ledger, runConfigOf(started.start, context.config));
  const stopped = (id: string) =>
    ['failed', 'conflicted', 'skipped'].includes(state.tasks.get(id)?.state ?? '');
  let roots: string[];
  if (selection.kind === 'task') {
    if (!state.tasks.has(selection.taskId)) {
      throw new InputError(
        `run \`${runId}\` has no task \`${selection.taskId}\`; use one of ${[...state.tasks.keys()].join(', ')}`,
      );
    }
    roots = stopped(selection.taskId) ? [selection.taskId] : [];
  } else {
    roots = [...state.tasks]
      .filter(([, task]) => task.state === 'failed' || task.state === 'conflicted')
      .map(([id]) => id);
  }
  // Dependents skipped because of a retried task get another chance too.
  const chosen = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const task of plan.tasks) {
      if (
        !chosen.has(task.id) &&
        state.tasks.get(task.id)?.state === 'skipped' &&
        task.depends_on.some((dep) => chosen.has(dep))
      ) {
        chosen.add(task.id);
        grew = true;
      }
    }
  }
  return plan.tasks.map((task) => task.id).filter((id) => chosen.has(id));
}

export type { CommandReply };
