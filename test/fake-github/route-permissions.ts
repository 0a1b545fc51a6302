import { ApiFailure } from './api-response.ts';
import { grants } from './token-permissions.ts';
import type { Resolved } from './token-registry.ts';

/** The permission a route needs: `level` on any one of `scopes` (issue endpoints accept `issues` or `pull_requests`). */
interface Requirement {
  scopes: string[];
  level: 'read' | 'write';
}

const read = (...scopes: string[]): Requirement => ({ scopes, level: 'read' });
const write = (...scopes: string[]): Requirement => ({ scopes, level: 'write' });
const ISSUES = ['issues', 'pull_requests'];

/**
 * What each REST route of the fake needs of an installation token or a job's `GITHUB_TOKEN`, from the "Fine-grained
 * access" section of each operation in GitHub's REST docs. Routes under `/app` take the App's JWT and are not listed.
 */
const REQUIREMENTS: Record<string, Requirement> = {
  'GET /repos/{owner}/{repo}': read('metadata'),
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission': read('metadata'),
  'GET /repos/{owner}/{repo}/issues/{issue_number}': read(...ISSUES),
  'PATCH /repos/{owner}/{repo}/issues/{issue_number}': write(...ISSUES),
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': read(...ISSUES),
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': write(...ISSUES),
  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}': read(...ISSUES),
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': write(...ISSUES),
  'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': write(...ISSUES),
  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': write(...ISSUES),
  'POST /repos/{owner}/{repo}/issues/{issue_number}/reactions': write(...ISSUES),
  'GET /repos/{owner}/{repo}/issues/{issue_number}/labels': read(...ISSUES),
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': write(...ISSUES),
  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}': write(...ISSUES),
  'GET /repos/{owner}/{repo}/labels/{name}': read(...ISSUES),
  'GET /repos/{owner}/{repo}/git/ref/{ref}': read('contents'),
  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}': read('contents'),
  'POST /repos/{owner}/{repo}/git/refs': write('contents'),
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}': write('contents'),
  'DELETE /repos/{owner}/{repo}/git/refs/{ref}': write('contents'),
  'GET /repos/{owner}/{repo}/git/commits/{commit_sha}': read('contents'),
  'POST /repos/{owner}/{repo}/git/commits': write('contents'),
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': read('contents'),
  'GET /repos/{owner}/{repo}/branches/{branch}': read('contents'),
  'GET /repos/{owner}/{repo}/commits': read('contents'),
  'GET /repos/{owner}/{repo}/commits/{ref}': read('contents'),
  'GET /repos/{owner}/{repo}/compare/{basehead}': read('contents'),
  'GET /repos/{owner}/{repo}/contents/{path}': read('contents'),
  'GET /repos/{owner}/{repo}/pulls': read('pull_requests'),
  'POST /repos/{owner}/{repo}/pulls': write('pull_requests'),
  'GET /repos/{owner}/{repo}/pulls/{pull_number}': read('pull_requests'),
  'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': write('pull_requests'),
  'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge': write('contents'),
  'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches': write('actions'),
  'GET /repos/{owner}/{repo}/actions/runs': read('actions'),
  'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs': read('actions'),
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}': read('actions'),
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs': read('actions'),
  'GET /repos/{owner}/{repo}/actions/jobs/{job_id}': read('actions'),
  'POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel': write('actions'),
  'POST /repos/{owner}/{repo}/check-runs': write('checks'),
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': write('checks'),
  'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': read('checks'),
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': read('checks'),
};

/** GitHub's answer when an App's or a job's token lacks the permission an operation needs. */
export const NOT_ACCESSIBLE = 'Resource not accessible by integration';

/**
 * Refuses (403 "Resource not accessible by integration") a request by an installation token or a job's
 * `GITHUB_TOKEN` whose permissions do not grant what the route needs. User tokens act with their user's role and are
 * not checked here. A route missing from the table is a bug of the fake: it throws naming the route.
 */
export function checkRoutePermission(route: string, identity: Resolved): void {
  if (identity.kind !== 'installation' && identity.kind !== 'job') return;
  const requirement = REQUIREMENTS[route];
  if (requirement === undefined)
    throw new Error(`route-permissions.ts has no permission for ${route}; add the one GitHub's docs name`);
  if (!requirement.scopes.some((scope) => grants(identity.permissions, scope, requirement.level)))
    throw new ApiFailure(403, NOT_ACCESSIBLE);
}
