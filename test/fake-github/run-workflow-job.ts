import { join } from 'node:path';
import type { ExpressionContext } from './evaluate-expression.ts';
import type { FakeCore } from './fake-core.ts';
import type { FakeJob, FakeRepository, FakeWorkflowRun, RunConclusion } from './fake-state.ts';
import type { GitCommit } from './git-store.ts';
import type { Workflow, WorkflowJob } from './read-workflow-file.ts';
import { runJobSteps } from './run-job-steps.ts';
import { jobTokenPermissions } from './token-permissions.ts';

/** What the runner keeps about a run while it is not completed. */
export interface RunPlan {
  repo: FakeRepository;
  workflow: Workflow;
  context: ExpressionContext;
  /** The payload of the event that started the run, which jobs read from `GITHUB_EVENT_PATH`. */
  event: object;
  headCommit: GitCommit | undefined;
  controller: AbortController;
  endActivity: () => void;
}

/** How jobs run their steps. */
export interface JobOptions {
  actionBundle: string;
  actionDefaults: Record<string, string>;
  actionInputs: Record<string, string>;
  extraEnv: Record<string, string>;
  /** `GITHUB_TOKEN` permissions of jobs whose workflow and job have no `permissions:`. */
  defaultPermissions: 'read' | 'write';
  /** Scratch root for job directories. */
  root: string;
}

/** The `GITHUB_*` variables a runner sets for a job of a dispatched run. */
function githubEnv(
  core: FakeCore,
  run: FakeWorkflowRun,
  repo: FakeRepository,
  jobId: string,
): Record<string, string> {
  return {
    GITHUB_REPOSITORY: repo.fullName,
    GITHUB_REPOSITORY_OWNER: repo.owner.login,
    GITHUB_SERVER_URL: core.urls.api,
    GITHUB_API_URL: core.urls.api,
    GITHUB_GRAPHQL_URL: `${core.urls.api}/graphql`,
    GITHUB_RUN_ID: String(run.id),
    GITHUB_RUN_NUMBER: String(run.runNumber),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: jobId,
    GITHUB_REF: `refs/heads/${run.headBranch}`,
    GITHUB_REF_NAME: run.headBranch,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_SHA: run.headSha,
    GITHUB_ACTOR: run.actor.login,
    GITHUB_TRIGGERING_ACTOR: run.actor.login,
    GITHUB_WORKFLOW: run.workflowName,
    GITHUB_WORKFLOW_REF: `${repo.fullName}/${run.path}@refs/heads/${run.headBranch}`,
    GITHUB_EVENT_NAME: run.event,
  };
}

/**
 * Runs one job: marks it in progress, gives it a `GITHUB_TOKEN` (acting as `github-actions[bot]`, revoked when the
 * job ends), runs its steps and marks it completed with their conclusion, emitting `workflow_job` at each change.
 */
export async function runWorkflowJob(input: {
  core: FakeCore;
  run: FakeWorkflowRun;
  plan: RunPlan;
  jobId: string;
  definition: WorkflowJob;
  job: FakeJob;
  signal: AbortSignal;
  options: JobOptions;
  emitJob: (action: 'in_progress' | 'completed') => void;
}): Promise<RunConclusion> {
  const { core, run, plan, job, signal, options } = input;
  const finish = (conclusion: RunConclusion) => {
    Object.assign(job, { status: 'completed', conclusion, completedAt: core.now() });
    const last = job.steps.at(-1);
    if (last && conclusion !== 'cancelled')
      Object.assign(last, { status: 'completed', conclusion: 'success' });
    input.emitJob('completed');
    return conclusion;
  };
  if (signal.aborted) return finish('cancelled');
  Object.assign(job, { status: 'in_progress', startedAt: core.now() });
  Object.assign(job.steps[0] ?? {}, { status: 'completed', conclusion: 'success' });
  input.emitJob('in_progress');
  const token = core.tokens.issue({
    kind: 'job',
    runId: run.id,
    user: core.state.user('github-actions[bot]'),
    permissions: jobTokenPermissions(
      input.definition.permissions,
      plan.workflow.permissions,
      options.defaultPermissions,
    ),
  });
  const context: ExpressionContext = {
    ...plan.context,
    github: {
      ...plan.context.github,
      token,
      run_id: String(run.id),
      run_number: String(run.runNumber),
      job: input.jobId,
    },
    ...(job.matrix === undefined ? {} : { matrix: job.matrix }),
  };
  try {
    const result = await runJobSteps({
      steps: input.definition.steps,
      context,
      jobDir: join(options.root, `run-${run.id}`, `job-${job.id}`),
      cloneUrl: `${core.urls.api}/git/${plan.repo.fullName}.git`,
      defaultRef: run.headBranch,
      token,
      serverUrl: core.urls.api,
      event: plan.event,
      githubEnv: githubEnv(core, run, plan.repo, input.jobId),
      extraEnv: options.extraEnv,
      actionBundle: options.actionBundle,
      actionDefaults: options.actionDefaults,
      actionInputs: options.actionInputs,
      signal,
      log: (text) => {
        job.log += text;
      },
      onStep: (index, status, conclusion) =>
        Object.assign(job.steps[index + 1] ?? {}, { status, conclusion }),
    });
    job.outputs = result.outputs;
    job.summary = result.summary;
    return finish(result.conclusion);
  } catch (error) {
    job.log += `the fake runner failed: ${error instanceof Error ? error.stack : error}\n`;
    return finish('failure');
  } finally {
    // A job's GITHUB_TOKEN expires when the job ends.
    core.tokens.revoke(token);
  }
}
