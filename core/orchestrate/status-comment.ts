import type { Octokit } from '../github/octokit-types.ts';
import { renderStatus } from '../report/render-status.ts';
import type { RunReport } from '../report/report-model.ts';
import type { RepoRef } from './github-ledger.ts';

const marker = (runId: string) => `<!-- claude-cluster:status ${runId} -->`;

/**
 * Creates or edits in place the run's status comment on its issue (found by its hidden marker among the comments of
 * trusted authors), showing the task table with states, costs and turns, and the Mermaid graph.
 */
export async function upsertStatusComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  report: RunReport,
  trustedAuthors: string[],
): Promise<number> {
  const head = marker(report.runId);
  const body = `${head}\n${renderStatus(report, { maxLength: 65_536 - head.length - 1 })}`;
  const trusted = new Set(trustedAuthors.map((login) => login.toLowerCase()));
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  })) {
    const existing = page.data.find(
      (comment) => comment.body?.startsWith(head) && trusted.has(comment.user?.login.toLowerCase() ?? ''),
    );
    if (existing) {
      if (existing.body !== body)
        await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
      return existing.id;
    }
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  return data.id;
}
