import { EnvironmentError, InputError } from '../errors/errors.ts';
import { type Octokit, requestStatus } from './octokit-types.ts';
import { type PlanRecordView, parsePlanRecord, type RunRecord, renderPlanRecord } from './plan-record.ts';

/** Author of comments written with a workflow's `GITHUB_TOKEN`: the default writer of plan comments. */
export const DEFAULT_BOT_LOGIN = 'github-actions[bot]';

/** Where the plan comment goes and what it says. */
export interface PublishPlanCommentInput {
  owner: string;
  repo: string;
  issueNumber: number;
  record: RunRecord;
  view: PlanRecordView;
  /**
   * Login the token comments as; only its comments are updated. Defaults to `github-actions[bot]`, the author of
   * comments made with a workflow's `GITHUB_TOKEN`; pass the App's `<slug>[bot]` or the user of a personal token.
   */
  botLogin?: string;
}

/** The comment holding the record. */
export interface PublishedPlanComment {
  commentId: number;
  url: string;
  /** False when an existing record comment of the same run was updated. */
  created: boolean;
}

/** A record comment found on an issue. */
export interface FoundPlanComment {
  commentId: number;
  url: string;
  record: RunRecord;
}

/** Which record comment to look for. */
export interface FindPlanCommentInput {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Only comments by this login are trusted (default `github-actions[bot]`); compared case-insensitively. */
  botLogin?: string;
  /** The run to look for; when absent, the newest record of any run on the issue. */
  runId?: string;
}

/**
 * Finds the record comment of a run on an issue, reading every page of the issue's comments. Only comments written
 * by `botLogin` count: anyone can paste a record block into a comment of their own, so the author is the trust
 * boundary. With `runId`, the oldest matching comment is returned (the one every later publish updates).
 */
export async function findPlanComment(
  octokit: Octokit,
  input: FindPlanCommentInput,
): Promise<FoundPlanComment | undefined> {
  const author = (input.botLogin ?? DEFAULT_BOT_LOGIN).toLowerCase();
  let newest: FoundPlanComment | undefined;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: input.owner,
    repo: input.repo,
    issue_number: input.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const comment of page.data) {
      if (comment.user?.login.toLowerCase() !== author) continue;
      const record = parsePlanRecord(comment.body ?? '');
      if (record === undefined || record.issueNumber !== input.issueNumber) continue;
      if (input.runId !== undefined && record.runId !== input.runId) continue;
      const found = { commentId: comment.id, url: comment.html_url, record };
      if (input.runId !== undefined) return found;
      newest = found;
    }
  }
  return newest;
}

/**
 * Publishes the plan comment of a run on its issue: updates the record comment of the same run written by
 * `botLogin` when there is one (found through every page of comments), else creates one. A record comment deleted
 * between the search and the update (404) is created anew. Throws the body-size InputError of `renderPlanRecord`
 * before any request is made.
 */
export async function publishPlanComment(
  octokit: Octokit,
  input: PublishPlanCommentInput,
): Promise<PublishedPlanComment> {
  const body = renderPlanRecord(input.record, input.view);
  const where = { owner: input.owner, repo: input.repo };
  const existing = await findPlanComment(octokit, {
    ...where,
    issueNumber: input.issueNumber,
    runId: input.record.runId,
    ...(input.botLogin === undefined ? {} : { botLogin: input.botLogin }),
  });
  if (existing !== undefined) {
    try {
      const { data } = await octokit.rest.issues.updateComment({
        ...where,
        comment_id: existing.commentId,
        body,
      });
      return { commentId: data.id, url: data.html_url, created: false };
    } catch (error) {
      if (requestStatus(error) !== 404)
        throw describeWriteError(
          error,
          `comment ${existing.commentId} on issue #${input.issueNumber} of ${input.owner}/${input.repo}`,
        );
    }
  }
  try {
    const { data } = await octokit.rest.issues.createComment({
      ...where,
      issue_number: input.issueNumber,
      body,
    });
    return { commentId: data.id, url: data.html_url, created: true };
  } catch (error) {
    throw describeWriteError(error, `issue #${input.issueNumber} of ${input.owner}/${input.repo}`);
  }
}

/** A refused comment write, turned into an error naming the fix; other errors pass through unchanged. */
function describeWriteError(error: unknown, target: string): unknown {
  const status = requestStatus(error);
  if (status === 401 || status === 403) {
    return new EnvironmentError(
      `the GitHub token may not comment on ${target} (HTTP ${status}); give the workflow \`issues: write\` permission or pass a \`github-token\` that can comment`,
      { cause: error },
    );
  }
  if (status === 404 || status === 410) {
    return new InputError(`cannot comment on ${target}: it was not found (HTTP ${status})`, [
      'check the issue number and that issues are enabled in the repository',
    ]);
  }
  return error;
}
