import { parseTaskJobName, runIdFromWorkflowRunName } from '../../core/orchestrate/orchestrator.ts';
import { parsePayload, WorkflowJobEventSchema, WorkflowRunCompletedEventSchema } from '../event-schemas.ts';
import { handleWorkflowActivity } from '../handlers/handle-workflow-activity.ts';
import { type AppServices, repoOf, toEngineOctokit, type WebhookContext } from './app-services.ts';
import { withRunDeps } from './with-run-deps.ts';

/**
 * `workflow_run.completed`: a plan or task workflow run of a cluster run finished; its run-name
 * (`claude-cluster <run-id> (<mode>)`, the payload's `display_title`) names the run to reconcile. Where job events
 * arrive, a task run that succeeded needs nothing more: each of its jobs reported through `workflow_job.completed`;
 * one that did not (a cancelled or failed run, jobs that never started) is the backstop for jobs that could not
 * report. In zero-hosting mode every completed run is reconciled. Runs of other workflows cost no API call.
 */
export async function routeWorkflowRun(services: AppServices, context: WebhookContext): Promise<void> {
  const event = parsePayload(WorkflowRunCompletedEventSchema, context.payload, 'workflow_run.completed');
  const runId = runIdFromWorkflowRunName(event.workflow_run.display_title ?? '');
  if (runId === undefined) return;
  const run = event.workflow_run;
  if (services.jobEvents && (run.display_title ?? '').endsWith('(task)') && run.conclusion === 'success')
    return;
  // A planning run that ended: the orchestrator tells the issue when it produced no plan.
  const endedPlan =
    (run.display_title ?? '').endsWith('(plan)') && run.conclusion
      ? { conclusion: run.conclusion, ...(run.html_url?.startsWith('https://') ? { url: run.html_url } : {}) }
      : undefined;
  await withRunDeps(services, context, { repository: event.repository, runIdFor: () => runId }, (deps) =>
    handleWorkflowActivity(deps, { runId, ...(endedPlan ? { endedPlan } : {}) }),
  );
}

/**
 * `workflow_job.completed`: a task job finished (jobs of other names are ignored). The template's job name carries
 * the run id (`task <id> (<run-id>)`); for a plain `task <id>` the run-name is read once per workflow run (see
 * createResolveJobRunId).
 */
export async function routeWorkflowJob(services: AppServices, context: WebhookContext): Promise<void> {
  const event = parsePayload(WorkflowJobEventSchema, context.payload, 'workflow_job');
  const job = event.workflow_job;
  const named = parseTaskJobName(job.name ?? '');
  // Only task jobs move a run; the planning job reports through its workflow run.
  if (named === undefined) return;
  const runId =
    named.runId ??
    (await services.resolveJobRunId(toEngineOctokit(context.octokit), {
      ...repoOf(event.repository),
      workflowRunId: job.run_id,
    }));
  if (runId === undefined) return;
  // A task job that ended tells which task; the orchestrator records a failure the job itself could not.
  const conclusion = job.conclusion ?? undefined;
  const endedJob =
    conclusion !== undefined
      ? {
          taskId: named.taskId,
          conclusion,
          workflowRunId: job.run_id,
          ...(job.html_url ? { url: job.html_url } : {}),
        }
      : undefined;
  await withRunDeps(services, context, { repository: event.repository, runIdFor: () => runId }, (deps) =>
    handleWorkflowActivity(deps, { runId, ...(endedJob ? { endedJob } : {}) }),
  );
}
