import { examplePayload } from './app-harness.ts';
import { OWNER, REPO } from './github-mocks.ts';

/** The login of the `issue_comment.created` example's author, a maintainer in these tests. */
export const MAINTAINER = 'Codertocat';

/** The `issue_comment.created` example with its body (and sender, when given) replaced. */
export function commentPayload(
  body: string,
  sender: { login: string; type: string } = { login: MAINTAINER, type: 'User' },
) {
  const payload = examplePayload('issue_comment', 'created');
  payload.comment.body = body;
  payload.sender = { ...payload.sender, ...sender } as typeof payload.sender;
  return payload;
}

/** The same comment on pull request #1. */
export function pullRequestCommentPayload(body: string) {
  const payload = commentPayload(body);
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/1`,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/1`,
    diff_url: `https://github.com/${OWNER}/${REPO}/pull/1.diff`,
    patch_url: `https://github.com/${OWNER}/${REPO}/pull/1.patch`,
  } as typeof payload.issue.pull_request;
  return payload;
}
