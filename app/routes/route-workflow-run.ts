import { runIdFromWorkflowRunName, taskIdFromJobName } from '../../core/orchestrate/orchestrator.ts';
import { parsePayload, WorkflowJobEventSchema, WorkflowRunCompletedEventSchema } from '../event-schemas.ts';
import { handleWorkflowActivity } from '../handlers/handle-workflow-activity.ts';
import { type AppServices, repoOf, toEngineOctokit, type WebhookContext } from './app-services.ts';
import { withRunDeps } from './with-run-deps.ts';

/**
 * `workflow_run.completed`: a plan or task workflow run of a cluster run finished; its run-name
 * (`claude-cluster <run-id> (<mode>)`, the payload's `display_title`) names the run to reconcile. Runs of other
 * workflows cost no API call.
 */
export async function routeWorkflowRun(services: AppServices, context: WebhookContext): Promise<void> {
  const event = parsePayload(WorkflowRunCompletedEventSchema, context.payload, 'workflow_run.completed');
  const runId = runIdFromWorkflowRunName(event.workflow_run.display_title ?? '');
  if (runId === undefined) return;
  // A planning run that ended: the orchestrator tells the issue when it produced no plan.
  const run = event.workflow_run;
  const endedPlan =
    (run.display_title ?? '').endsWith('(plan)') && run.conclusion
      ? { conclusion: run.conclusion, ...(run.html_url?.startsWith('https://') ? { url: run.html_url } : {}) }
      : undefined;
  await withRunDeps(services, context, { repository: event.repository, runIdFor: () => runId }, (deps) =>
    handleWorkflowActivity(deps, { runId, ...(endedPlan ? { endedPlan } : {}) }),
  );
}

/**
 * `workflow_job.completed`: a task job finished. The job names its workflow run by id
 * only, so the run-name is read once per workflow run (see createResolveJobRunId).
 */
export async function routeWorkflowJob(services: AppServices, context: WebhookContext): Promise<void> {
  const event = parsePayload(WorkflowJobEventSchema, context.payload, 'workflow_job');
  const runId = await services.resolveJobRunId(toEngineOctokit(context.octokit), {
    ...repoOf(event.repository),
    workflowRunId: event.workflow_job.run_id,
  });
  if (runId === undefined) return;
  // A task job that ended tells which task; the orchestrator records a failure the job itself could not.
  const taskId = taskIdFromJobName(event.workflow_job.name ?? '');
  const conclusion = event.workflow_job.conclusion ?? undefined;
  const endedJob =
    taskId !== undefined && conclusion !== undefined
      ? { taskId, conclusion, ...(event.workflow_job.html_url ? { url: event.workflow_job.html_url } : {}) }
      : undefined;
  await withRunDeps(services, context, { repository: event.repository, runIdFor: () => runId }, (deps) =>
    handleWorkflowActivity(deps, { runId, ...(endedJob ? { endedJob } : {}) }),
  );
}
