/**
 * THE list of GitHub REST operations and webhook events claude-cluster uses: `npm run github-spec` copies exactly
 * these from GitHub's published descriptions into `api-subset.json` and `webhooks-subset.json`, a test fails when
 * the code calls an operation missing here, and the fake GitHub's traffic validator reports any request to one.
 * Add an operation here (and run `npm run github-spec`) before the code calls it.
 */

/** `METHOD /path` as in api.github.com's OpenAPI description, with who calls it. */
export const USED_OPERATIONS = {
  'GET /app': 'the App reads its slug (app/create-app.ts)',
  'POST /app/installations/{installation_id}/access_tokens': 'Probot authenticates as the installation',
  'GET /repos/{owner}/{repo}/actions/runs': 'the orchestrator finds a run’s workflow runs',
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}': 'the App reads a job’s run name',
  'POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel': 'the orchestrator cancels a run',
  'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches':
    'the orchestrator dispatches a wave',
  'GET /repos/{owner}/{repo}/branches/{branch}': 'the ledger reads a branch head',
  'POST /repos/{owner}/{repo}/check-runs': 'the run’s check run is created',
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': 'the run’s check run is updated',
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission': 'the App authorizes a command’s sender',
  'GET /repos/{owner}/{repo}/commits': 'the ledger reads its history',
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': 'the run’s check run is found',
  'GET /repos/{owner}/{repo}/contents/{path}': 'the App loads claude-cluster.yml',
  'POST /repos/{owner}/{repo}/git/commits': 'the ledger commits an entry',
  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}': 'the orchestrator lists a run’s branches',
  'POST /repos/{owner}/{repo}/git/refs': 'the ledger creates the integration branch',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}': 'the ledger moves the integration branch',
  'DELETE /repos/{owner}/{repo}/git/refs/{ref}': 'the orchestrator deletes a run’s branches',
  'GET /repos/{owner}/{repo}/issues/{issue_number}': 'the issue is read',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': 'the plan and status comments are found',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': 'the plan, status and replies are posted',
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': 'the plan and status comments are edited',
  'GET /repos/{owner}/{repo}/pulls': 'the run’s pull request is found',
  'POST /repos/{owner}/{repo}/pulls': 'the run’s pull request is opened',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}': 'a command on a pull request reads it',
  'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': 'the run’s pull request body is updated',
} as const;

/** The operations of {@link USED_OPERATIONS} that libraries make for the project (the code names none of them). */
export const LIBRARY_OPERATIONS: readonly (keyof typeof USED_OPERATIONS)[] = [
  'POST /app/installations/{installation_id}/access_tokens',
];

/**
 * Webhooks (`event` or `event.action`, the event as named in `X-GitHub-Event`) the App receives or the fake GitHub
 * sends, including those workflows start on.
 */
export const USED_WEBHOOKS = [
  'check_run.completed',
  'check_run.created',
  'check_run.rerequested',
  'check_suite.completed',
  'check_suite.requested',
  'installation.created',
  'installation.deleted',
  'issue_comment.created',
  'issue_comment.deleted',
  'issue_comment.edited',
  'issues.closed',
  'issues.edited',
  'issues.labeled',
  'issues.opened',
  'issues.reopened',
  'pull_request.closed',
  'pull_request.edited',
  'pull_request.opened',
  'pull_request.reopened',
  'pull_request.synchronize',
  'pull_request_review.submitted',
  'pull_request_review_comment.created',
  'push',
  'workflow_job.completed',
  'workflow_job.in_progress',
  'workflow_job.queued',
  'workflow_run.completed',
  'workflow_run.in_progress',
  'workflow_run.requested',
] as const;
