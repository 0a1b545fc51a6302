import type { EndedJob } from '../../core/orchestrate/advance-run.ts';
import { type HandlerDeps, orchestratorContext } from './handler-deps.ts';

/**
 * A workflow run or job of a cluster run ended (`workflow_run.completed`, `workflow_job.completed`): the
 * orchestrator re-derives the run's state and performs the missing steps; an ended job or planning run is passed on
 * so a failure that recorded nothing is recorded.
 */
export async function handleWorkflowActivity(
  deps: HandlerDeps,
  fields: {
    runId: string;
    endedJob?: EndedJob;
    endedPlan?: { conclusion: string; url?: string };
  },
): Promise<void> {
  await deps.orchestrator.reconcileRun(orchestratorContext(deps), {
    runId: fields.runId,
    ...(fields.endedJob ? { endedJob: fields.endedJob } : {}),
    ...(fields.endedPlan ? { endedPlan: fields.endedPlan } : {}),
  });
}
