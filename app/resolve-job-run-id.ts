import { z } from 'zod';
import type { Octokit } from '../core/github/octokit-types.ts';
import { runIdFromWorkflowRunName } from '../core/orchestrate/orchestrator.ts';

/** Finds the cluster run a workflow job belongs to. */
export type ResolveJobRunId = (
  octokit: Octokit,
  job: { owner: string; repo: string; workflowRunId: number },
) => Promise<string | undefined>;

/** The run-name is the workflow run's `display_title`; `name` is the workflow's name. */
const WorkflowRunSchema = z.object({ display_title: z.string().optional() });

/**
 * `workflow_job` payloads carry the workflow run's id but not its run-name, which holds the cluster run id
 * (`claude-cluster <run-id> (task)`): this reads it with `GET /repos/{owner}/{repo}/actions/runs/{id}` once per
 * workflow run and remembers the answer (a run-name never changes), so the jobs of one matrix cost one request.
 * Workflow runs of other workflows resolve to undefined.
 */
export function createResolveJobRunId(maxEntries = 1000): ResolveJobRunId {
  const known = new Map<string, Promise<string | undefined>>();
  return (octokit, { owner, repo, workflowRunId }) => {
    const key = `${owner}/${repo}/${workflowRunId}`.toLowerCase();
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    const runId = octokit.rest.actions
      .getWorkflowRun({ owner, repo, run_id: workflowRunId })
      .then(({ data }) => runIdFromWorkflowRunName(WorkflowRunSchema.parse(data).display_title ?? ''));
    known.set(key, runId);
    if (known.size > maxEntries) {
      const oldest = known.keys().next();
      if (oldest.done !== true) known.delete(oldest.value);
    }
    runId.catch(() => known.delete(key));
    return runId;
  };
}
