import { renderReport } from '../report/render-report.ts';
import type { RunReport } from '../report/report-model.ts';
import type { RunState } from './derive-run-state.ts';
import type { RepoRef } from './github-ledger.ts';
import { findPullRequest, openOrUpdatePullRequest } from './open-pull-request.ts';
import type { OrchestratorContext } from './orchestrator.ts';
import { type OrchestratorMemory, runKey } from './orchestrator-memory.ts';
import { publishCheckRun } from './publish-check-run.ts';
import { publishIntegrationBranch } from './publish-integration-branch.ts';
import { upsertStatusComment } from './status-comment.ts';

/** What {@link publishRunProgress} shows. */
export interface RunProgress {
  repo: RepoRef;
  runId: string;
  issueNumber: number;
  title: string;
  report: RunReport;
  state: RunState;
  /** The run's code as the ledger projects it: what the integration branch holds once published. */
  projectedSha: string;
  /** Lines above the task table (who started the run, what it waits for). */
  notes: string[];
  /** Tasks were retried: the run finished before, so its pull request may exist. */
  retried: boolean;
  /** The run was created by this reconcile's caller just now: nothing of it is published yet. */
  fresh: boolean;
  /** Open the pull request as a draft: the run's configuration `draft`, as it started. */
  draft: boolean;
}

/**
 * Shows a run's progress on GitHub: the status comment (edits paced), and once every task is done the integration
 * branch moved to the run's code (the only push that runs the repository's CI, once per change of code), the pull
 * request (opened, or its body updated) and a completed check run on its head. While tasks run again after the pull
 * request exists (a `/cluster retry`), the check run on the pull request's head says so. Work this process already
 * published for the same ledger is not repeated.
 */
export async function publishRunProgress(
  context: OrchestratorContext,
  memory: OrchestratorMemory,
  progress: RunProgress,
): Promise<void> {
  const { octokit } = context;
  const { repo, report, state } = progress;
  const key = runKey(repo, progress.runId);
  const notes = [...progress.notes];
  const known = memory.published.get(key) ?? {};
  if (state.closed) notes.push('Its pull request was closed without merging; nothing more is published.');
  else if (state.finished && !state.cancelled) {
    if (known.integration !== progress.projectedSha) {
      await publishIntegrationBranch(octokit, repo, report.integrationBranch, progress.projectedSha, {
        exists: known.pull !== undefined || progress.retried,
      });
      known.integration = progress.projectedSha;
    }
    const body = renderReport(report);
    if (known.pull === undefined || known.pullBody !== body) {
      const pull = await openOrUpdatePullRequest(octokit, repo, {
        report,
        title: `claude-cluster: ${progress.title}`,
        draft: progress.draft,
      });
      known.pull = pull.number;
      known.pullBody = body;
      // The check run goes on after the pull request: a pull request opened just now has none yet.
      if (pull.opened) known.checkless = progress.projectedSha;
    }
  }
  if (known.pull === undefined && !state.finished && !state.closed && progress.retried) {
    // A cold process during a retry: the pull request opened at the first finish should show the new progress.
    const pull = await findPullRequest(octokit, repo, report.integrationBranch);
    if (pull?.state === 'open') [known.pull, known.integration] = [pull.number, pull.head.sha];
  }
  if (known.pull !== undefined && !state.closed) {
    notes.push(`Pull request: #${known.pull}`);
    // Until the finish publishes new code, the pull request's head is what it was: the check run goes there.
    const headSha = state.finished ? progress.projectedSha : (known.integration ?? progress.projectedSha);
    const checkKey = `${headSha} ${state.finished}`;
    if (known.check !== checkKey && !state.cancelled) {
      await publishCheckRun(octokit, repo, headSha, report, {
        finished: state.finished,
        exists: known.checkless === headSha ? false : undefined,
      });
      known.check = checkKey;
    }
  }
  memory.published.set(key, known);
  await upsertStatusComment(
    {
      octokit,
      repo,
      issueNumber: progress.issueNumber,
      runId: progress.runId,
      trustedAuthors: context.trustedAuthors,
      known: memory.statusComments,
      clock: memory.clock,
    },
    report,
    notes,
    { final: state.finished || state.cancelled, fresh: progress.fresh },
  );
}
