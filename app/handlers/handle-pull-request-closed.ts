import { type HandlerDeps, orchestratorContext } from './handler-deps.ts';

/**
 * A run's pull request was merged or closed (its head is the run's integration branch in this repository, which
 * the router checked): the orchestrator deletes the run's task branches and, when it was closed unmerged, records
 * that on the run so no later event opens another pull request.
 */
export async function handlePullRequestClosed(
  deps: HandlerDeps,
  fields: { integrationBranch: string; merged: boolean },
): Promise<void> {
  await deps.orchestrator.cleanupRun(orchestratorContext(deps), {
    integrationBranch: fields.integrationBranch,
    merged: fields.merged,
  });
}
