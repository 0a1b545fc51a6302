import { PullRequestClosedEventSchema, parsePayload } from '../event-schemas.ts';
import { handlePullRequestClosed } from '../handlers/handle-pull-request-closed.ts';
import { runIdOfIntegrationBranch } from '../run-id-of-branch.ts';
import type { AppServices, WebhookContext } from './app-services.ts';
import { withRunDeps } from './with-run-deps.ts';

/**
 * `pull_request.closed` (merged or not): when the head is a run's integration branch in this repository
 * (`<branch_prefix>/<run>/integration`), the run's branches are cleaned up. A fork's branch of the same name is not
 * the run's. An invalid configuration has no branch prefix to trust: nothing is deleted.
 */
export async function routePullRequestClosed(services: AppServices, context: WebhookContext): Promise<void> {
  const event = parsePayload(PullRequestClosedEventSchema, context.payload, 'pull_request.closed');
  const { head } = event.pull_request;
  if (head.repo?.full_name.toLowerCase() !== event.repository.full_name.toLowerCase()) return;
  if (!head.ref.endsWith('/integration')) return;
  await withRunDeps(
    services,
    context,
    {
      repository: event.repository,
      runIdFor: (config) => runIdOfIntegrationBranch(head.ref, config.branch_prefix),
    },
    (deps) =>
      handlePullRequestClosed(deps, {
        integrationBranch: head.ref,
        merged: event.pull_request.merged === true,
      }),
  );
}
