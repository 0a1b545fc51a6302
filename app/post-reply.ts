import type { Octokit } from '../core/github/octokit-types.ts';
import { cutMarkdown, GITHUB_BODY_LIMIT } from '../core/report/fit-to-length.ts';

/** The issue or pull request a reply goes to. */
export interface ReplyTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  issueNumber: number;
}

const TRUNCATION_NOTE = '\n\n_(cut to fit GitHub’s comment limit)_';

/**
 * The one place the App comments: posts `body` on the issue or pull request, cut at a line boundary to GitHub's
 * 65,536-character limit.
 */
export async function postReply(target: ReplyTarget, body: string): Promise<void> {
  const fitted =
    body.length <= GITHUB_BODY_LIMIT
      ? body
      : `${cutMarkdown(body, GITHUB_BODY_LIMIT - TRUNCATION_NOTE.length)}${TRUNCATION_NOTE}`;
  await target.octokit.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    body: fitted,
  });
}
