import { type Octokit, requestStatus } from '../github/octokit-types.ts';
import { renderReport } from '../report/render-report.ts';
import type { RunReport } from '../report/report-model.ts';
import type { RepoRef } from './github-ledger.ts';

/**
 * Opens the run's pull request from its integration branch into its base, with the report as body (conflict notes,
 * overlap warnings, failed and skipped tasks with retry hints) — or, when it exists already (a second finish, a
 * redelivered event: GitHub answers 422), updates its body instead of opening another. Returns its number and
 * whether this call opened it.
 */
export async function openOrUpdatePullRequest(
  octokit: Octokit,
  repo: RepoRef,
  input: { report: RunReport; title: string; draft: boolean },
): Promise<{ number: number; opened: boolean }> {
  const body = renderReport(input.report);
  try {
    const { data } = await octokit.rest.pulls.create({
      ...repo,
      head: input.report.integrationBranch,
      base: input.report.base,
      title: input.title,
      body,
      draft: input.draft,
    });
    return { number: data.number, opened: true };
  } catch (error) {
    // 422: an earlier finish (or another replica) opened it; make sure it carries this body.
    if (requestStatus(error) !== 422) throw error;
    const existing = await updateExisting(octokit, repo, input.report.integrationBranch, body);
    if (existing === undefined) throw error;
    return { number: existing, opened: false };
  }
}

/** The pull request (open or closed) from the run's integration branch, when there is one. */
export async function findPullRequest(octokit: Octokit, repo: RepoRef, branch: string) {
  const { data: existing } = await octokit.rest.pulls.list({
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: 'all',
    per_page: 10,
  });
  return existing[0];
}

/** Updates the body of the branch's pull request when there is one (open); returns its number. */
async function updateExisting(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  body: string,
): Promise<number | undefined> {
  const pull = await findPullRequest(octokit, repo, branch);
  if (pull === undefined) return undefined;
  if (pull.state === 'open' && pull.body !== body)
    await octokit.rest.pulls.update({ ...repo, pull_number: pull.number, body });
  return pull.number;
}
