import type { Octokit } from '../github/octokit-types.ts';
import { describeOutcome } from '../report/render-heading.ts';
import { renderStatus } from '../report/render-status.ts';
import type { RunReport } from '../report/report-model.ts';
import { summarizeCounts } from '../report/summarize-report.ts';
import type { RepoRef } from './github-ledger.ts';

/** GitHub's limit for a check run's summary. */
const SUMMARY_LIMIT = 65_535;
const CHECK_NAME = 'claude-cluster';

/**
 * Mirrors the run's status as a check run on the integration branch's head, so the pull request shows it beside CI:
 * in progress while tasks run (a `/cluster retry` after the pull request opened); once finished, success when every
 * task landed (and verify did not fail), neutral otherwise (the PR explains what is missing). Idempotent: an
 * existing check run of the same name on that commit is updated.
 */
export async function publishCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  headSha: string,
  report: RunReport,
  progress: {
    finished: boolean /** False when the caller knows there is none yet: saves looking. */;
    exists?: false;
  },
): Promise<void> {
  const counts = summarizeCounts(report);
  const output = {
    title: describeOutcome(report, counts),
    summary: renderStatus(report, { maxLength: SUMMARY_LIMIT }),
  };
  const state = progress.finished
    ? ({ status: 'completed', conclusion: counts.succeeded ? 'success' : 'neutral' } as const)
    : ({ status: 'in_progress' } as const);
  const existing =
    progress.exists === false
      ? undefined
      : (
          await octokit.rest.checks.listForRef({
            ...repo,
            ref: headSha,
            check_name: CHECK_NAME,
            per_page: 1,
          })
        ).data.check_runs[0];
  if (existing) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: existing.id,
      ...state,
      output,
    });
    return;
  }
  await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    ...state,
    output,
  });
}
