import type { Octokit } from '../github/octokit-types.ts';
import { renderReport } from '../report/render-report.ts';
import type { RunReport } from '../report/report-model.ts';
import type { RepoRef } from './github-ledger.ts';

/**
 * Opens the run's pull request from its integration branch into its base, with the report as body (conflict notes,
 * overlap warnings, failed and skipped tasks with retry hints) — or, when it exists already (a second finish, a
 * redelivered event), updates its body instead of opening another. Returns its number.
 */
export async function openOrUpdatePullRequest(
  octokit: Octokit,
  repo: RepoRef,
  input: { report: RunReport; title: string; draft: boolean },
): Promise<number> {
  const body = renderReport(input.report);
  const { data: existing } = await octokit.rest.pulls.list({
    ...repo,
    head: `${repo.owner}:${input.report.integrationBranch}`,
    state: 'all',
    per_page: 10,
  });
  const pull = existing[0];
  if (pull) {
    if (pull.state === 'open' && pull.body !== body) {
      await octokit.rest.pulls.update({ ...repo, pull_number: pull.number, body });
    }
    return pull.number;
  }
  const { data } = await octokit.rest.pulls.create({
    ...repo,
    head: input.report.integrationBranch,
    base: input.report.base,
    title: input.title,
    body,
    draft: input.draft,
  });
  return data.number;
}
