import { type Octokit, requestStatus } from '../github/octokit-types.ts';
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
  const markdown = renderStatus(report, { maxLength: 65_536 - head.length - 1 });
  return upsertStatusText(octokit, repo, issueNumber, report.runId, markdown, trustedAuthors);
}

/** Creates or edits in place the run's status comment with the given Markdown (e.g. why planning failed). */
export async function upsertStatusText(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  runId: string,
  markdown: string,
  trustedAuthors: string[],
): Promise<number> {
  const head = marker(runId);
  const body = `${head}\n${markdown}`;
  const key = `${repo.owner}/${repo.repo}#${runId}`;
  const known = knownComments.get(key);
  if (known !== undefined) {
    if (known.body === body) return known.id;
    try {
      await octokit.rest.issues.updateComment({ ...repo, comment_id: known.id, body });
      knownComments.set(key, { id: known.id, body });
      return known.id;
    } catch (error) {
      // Deleted meanwhile: find or create it again below.
      if (requestStatus(error) !== 404) throw error;
      knownComments.delete(key);
    }
  }
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
      remember(key, { id: existing.id, body });
      return existing.id;
    }
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  remember(key, { id: data.id, body });
  return data.id;
}

/**
 * Status comments this process wrote, by run: saves listing every comment on each event. Only an optimization: a
 * cold process (or another replica) finds the comment by its marker, and a stale body only costs one edit.
 */
const knownComments = new Map<string, { id: number; body: string }>();
const MAX_KNOWN = 1000;

function remember(key: string, value: { id: number; body: string }): void {
  if (knownComments.size >= MAX_KNOWN) knownComments.delete(knownComments.keys().next().value!);
  knownComments.set(key, value);
}
