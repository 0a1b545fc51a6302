import { runGit } from '../../core/git/run-git.ts';
import { ApiFailure, notFound } from './api-response.ts';
import type { ExpressionContext } from './evaluate-expression.ts';
import type { DispatchRequest, FakeCore } from './fake-core.ts';
import { resolveCommit } from './git-store.ts';
import { checkDispatchInputs, readWorkflowFile, type Workflow } from './read-workflow-file.ts';

/** A dispatch checked against the workflow file at its ref. */
export interface DispatchedWorkflow {
  workflow: Workflow;
  /** `.github/workflows/<file>` */
  path: string;
  branch: string;
  sha: string;
  inputs: { context: Record<string, unknown>; event: Record<string, string> };
  /** The expression contexts of the run (`inputs`, `github`, `secrets`). */
  context: ExpressionContext;
}

/**
 * Finds the dispatched workflow (by file name or id) in the repository at the dispatch's ref and checks the inputs,
 * answering as GitHub does: 404 for an unknown workflow, 422 for an unknown ref, an invalid file or bad inputs.
 */
export async function readDispatchedWorkflow(
  request: DispatchRequest,
  core: FakeCore,
  secrets: Record<string, string>,
): Promise<DispatchedWorkflow> {
  const { repo } = request;
  const path = /^\d+$/.test(request.workflow)
    ? [...repo.workflowIds].find(([, id]) => id === Number(request.workflow))?.[0]
    : `.github/workflows/${request.workflow}`;
  if (path === undefined) throw notFound();
  const branch = request.ref.replace(/^refs\/heads\//, '');
  const sha = await resolveCommit(repo.bareDir, branch);
  if (!sha) throw new ApiFailure(422, `No ref found for: ${request.ref}`);
  const file = await runGit(['show', `${sha}:${path}`], { cwd: repo.bareDir, okExitCodes: [128] });
  if (file.exitCode !== 0) throw notFound();
  let workflow: Workflow;
  try {
    workflow = readWorkflowFile(file.stdout, path);
  } catch (error) {
    throw new ApiFailure(
      422,
      `Workflow ${path} is invalid: ${error instanceof Error ? error.message : error}`,
    );
  }
  const inputs = checkDispatchInputs(workflow, request.inputs);
  const github = {
    event_name: 'workflow_dispatch',
    ref: `refs/heads/${branch}`,
    ref_name: branch,
    sha,
    repository: repo.fullName,
    repository_owner: repo.owner.login,
    actor: request.actor.login,
    workflow: workflow.name,
    server_url: core.urls.api,
    api_url: core.urls.api,
  };
  return { workflow, path, branch, sha, inputs, context: { inputs: inputs.context, github, secrets } };
}
