import { type HandlerDeps, orchestratorContext } from './handler-deps.ts';

/**
 * A run's pull request was merged or closed (its head is the run's integration branch in this repository, which
 * the router checked): the orchestrator deletes the run's task branches and claims.
 */
export async function handlePullRequestClosed(
  deps: HandlerDeps,
  fields: { integrationBranch: string },
): Promise<void> {
  await deps.orchestrator.cleanupRun(orchestratorContext(deps), {
    integrationBranch: fields.integrationBranch,
  });
}
