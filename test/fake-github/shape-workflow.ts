import type { Endpoints } from '@octokit/types';
import type { FakeJob, FakeRepository, FakeWorkflowRun } from './fake-state.ts';
import type { GitCommit } from './git-store.ts';
import { repositoryLiteJson } from './shape-repository.ts';
import { type FakeUrls, userJson } from './shape-user.ts';

type RunData = Endpoints['GET /repos/{owner}/{repo}/actions/runs/{run_id}']['response']['data'];
type JobData = Endpoints['GET /repos/{owner}/{repo}/actions/jobs/{job_id}']['response']['data'];
type CheckRunData = Endpoints['GET /repos/{owner}/{repo}/check-runs/{check_run_id}']['response']['data'];

/** A workflow run as the API returns it. */
export type WorkflowRunJson = RunData;
/** A job as the API returns it. */
export type JobJson = Pick<
  JobData,
  | 'id'
  | 'run_id'
  | 'run_url'
  | 'run_attempt'
  | 'node_id'
  | 'head_sha'
  | 'url'
  | 'html_url'
  | 'status'
  | 'conclusion'
  | 'created_at'
  | 'started_at'
  | 'completed_at'
  | 'name'
  | 'steps'
  | 'check_run_url'
  | 'labels'
  | 'runner_id'
  | 'runner_name'
  | 'runner_group_id'
  | 'runner_group_name'
  | 'workflow_name'
  | 'head_branch'
>;
/** The `app` of a check run. */
export type CheckRunAppJson = CheckRunData['app'];

/** The workflow run object; `headCommit` is the commit the run is on. */
export function workflowRunJson(
  repo: FakeRepository,
  run: FakeWorkflowRun,
  headCommit: GitCommit | undefined,
  urls: FakeUrls,
): WorkflowRunJson {
  const api = `${urls.api}/repos/${repo.fullName}/actions/runs/${run.id}`;
  const repository = repositoryLiteJson(repo, urls);
  return {
    id: run.id,
    name: run.name,
    node_id: `WFR_${run.id}`,
    check_suite_id: run.id + 1,
    check_suite_node_id: `CS_${run.id + 1}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    run_number: run.runNumber,
    run_attempt: 1,
    referenced_workflows: [],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: api,
    html_url: `${urls.web}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: userJson(run.actor, urls),
    triggering_actor: userJson(run.actor, urls),
    run_started_at: run.startedAt ?? run.createdAt,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${urls.api}/repos/${repo.fullName}/check-suites/${run.id + 1}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${urls.api}/repos/${repo.fullName}/actions/workflows/${run.workflowId}`,
    head_commit: headCommit
      ? {
          id: headCommit.sha,
          tree_id: headCommit.tree,
          message: headCommit.message,
          timestamp: headCommit.committer.date,
          author: { name: headCommit.author.name, email: headCommit.author.email },
          committer: { name: headCommit.committer.name, email: headCommit.committer.email },
        }
      : null,
    repository,
    head_repository: repository,
    display_title: run.name,
  };
}

/** The job object. */
export function jobJson(repo: FakeRepository, run: FakeWorkflowRun, job: FakeJob, urls: FakeUrls): JobJson {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const started = job.startedAt !== null;
  return {
    id: job.id,
    run_id: run.id,
    run_url: `${api}/actions/runs/${run.id}`,
    run_attempt: 1,
    node_id: `CR_${job.id}`,
    head_sha: run.headSha,
    head_branch: run.headBranch,
    url: `${api}/actions/jobs/${job.id}`,
    html_url: `${urls.web}/${repo.fullName}/actions/runs/${run.id}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: job.createdAt,
    started_at: job.startedAt ?? job.createdAt,
    completed_at: job.completedAt,
    name: job.name,
    // The fake times jobs, not steps: a step started with its job and completed by the job's end (or now).
    steps: job.steps.map((step) => ({
      ...step,
      started_at: step.status === 'queued' ? null : (job.startedAt ?? job.createdAt),
      completed_at: step.status === 'completed' ? (job.completedAt ?? job.startedAt ?? job.createdAt) : null,
    })),
    check_run_url: `${api}/check-runs/${job.id}`,
    labels: ['ubuntu-latest'],
    runner_id: started ? 1 : null,
    runner_name: started ? 'fake-runner' : null,
    runner_group_id: started ? 1 : null,
    runner_group_name: started ? 'GitHub Actions' : null,
    workflow_name: run.workflowName,
  };
}
