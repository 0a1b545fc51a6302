import { InputError } from '../errors/errors.ts';
import { type Octokit, requestStatus } from '../github/octokit-types.ts';
import type { RepoRef } from './github-ledger.ts';
import { dispatchInputStrings, dispatchLimitProblem } from './split-dispatch.ts';

/** The inputs of `workflows-templates/claude-cluster.yml`. */
export interface DispatchInputs {
  'run-id': string;
  'issue-number': number;
  'base-ref': string;
  mode: 'plan' | 'task';
  /**
   * Task mode: JSON array of matrix entries. Plan mode: the run's location, `{"branch_prefix": …}`, so the planning
   * job finds the run's start entry and plans with the configuration recorded there.
   */
  tasks?: string;
  'max-parallel'?: number;
}

/**
 * Dispatches the cluster workflow. Asks for the run's id (`return_run_details`, GitHub since 2026-02); servers that
 * refuse the flag (400/422) get the plain dispatch, and the run is then found by its `run-name`, which carries the run
 * id. Returns the workflow run id when the server told it. Inputs beyond GitHub's limits (65,535 characters for all
 * of them, 25 inputs) are refused with an InputError before anything is sent.
 */
export async function dispatchWorkflow(
  octokit: Octokit,
  repo: RepoRef,
  workflow: string,
  ref: string,
  inputs: DispatchInputs,
): Promise<number | undefined> {
  const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
  const stringInputs = dispatchInputStrings(inputs);
  // Waves are split to fit (see `dispatchWave`); this refuses in our words what GitHub would answer with a bare 422.
  const problem = dispatchLimitProblem(stringInputs);
  if (problem !== undefined) {
    throw new InputError(`cannot dispatch \`${workflow}\`: its inputs take ${problem}`, [
      'shorten the task prompts, or split the issue into smaller ones',
    ]);
  }
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
