import { type Octokit, requestStatus } from '../github/octokit-types.ts';
import type { RepoRef } from './github-ledger.ts';

/** The inputs of `workflows-templates/claude-cluster.yml`. */
export interface DispatchInputs {
  'run-id': string;
  'issue-number': number;
  'base-ref': string;
  mode: 'plan' | 'task';
  /** Task mode: JSON array of matrix entries. */
  tasks?: string;
  'max-parallel'?: number;
}

/**
 * Dispatches the cluster workflow. Asks for the run's id (`return_run_details`, GitHub since 2026-02); servers that
 * refuse the flag (400/422) get the plain dispatch, and the run is then found by its `run-name`, which carries the run
 * id. Returns the workflow run id when the server told it.
 */
export async function dispatchWorkflow(
  octokit: Octokit,
  repo: RepoRef,
  workflow: string,
  ref: string,
  inputs: DispatchInputs,
): Promise<number | undefined> {
  const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
  const stringInputs = Object.fromEntries(
    Object.entries(inputs)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
  try {
    const response = await octokit.request(route, {
      ...repo,
      workflow_id: workflow,
      ref,
      inputs: stringInputs,
      return_run_details: true,
    });
    const data = response.data as unknown as { workflow_run_id?: unknown } | undefined;
    return typeof data?.workflow_run_id === 'number' ? data.workflow_run_id : undefined;
  } catch (error) {
    const status = requestStatus(error);
    if (status !== 400 && status !== 422) throw error;
  }
  await octokit.request(route, { ...repo, workflow_id: workflow, ref, inputs: stringInputs });
  return undefined;
}
