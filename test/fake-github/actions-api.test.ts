import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeFixture, startFakeFixture, statusOf } from './fake-github-fixture.ts';

/** A workflow that runs in a blink: one shell step, optionally sleeping. */
const ECHO_WORKFLOW = `name: echo
run-name: "echo \${{ inputs.run-id }} (\${{ inputs.mode }})"
on:
  workflow_dispatch:
    inputs:
      run-id: { required: true, type: string }
      mode: { required: true, type: choice, options: [task, plan], default: task }
      seconds: { required: false, type: number, default: 0 }
concurrency:
  group: echo-\${{ inputs.run-id }}
  cancel-in-progress: false
jobs:
  say:
    runs-on: ubuntu-latest
    steps:
      - run: sleep \${{ inputs.seconds }}; echo "run \${{ inputs.run-id }}"
`;

let f: FakeFixture;
const where = { owner: 'octo', repo: 'widgets' };
beforeEach(async () => {
  f = await startFakeFixture({
    files: { 'README.md': '# widgets\n', '.github/workflows/echo.yml': ECHO_WORKFLOW },
  });
});
afterEach(() => f.close());

const dispatch = (inputs: Record<string, string>, extra: { return_run_details?: boolean } = {}) =>
  f.octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...where,
    workflow_id: 'echo.yml',
    ref: 'main',
    inputs,
    ...extra,
  });

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the fake GitHub actions API', () => {
  describe('dispatching a workflow', () => {
    it('with return_run_details answers 200 with the run id, and the run is named by run-name', async () => {
      const { status, data } = await dispatch({ 'run-id': '42' }, { return_run_details: true });
      expect(status).toBe(200);
      if (status !== 200 || !data) throw new Error('expected run details');
      expect(data.run_url).toBe(`${f.fake.url}/repos/octo/widgets/actions/runs/${data.workflow_run_id}`);
      await f.fake.idle();
      const run = await f.octokit.rest.actions.getWorkflowRun({
        ...where,
        run_id: Number(data.workflow_run_id),
      });
      expect(run.data).toMatchObject({
        name: 'echo 42 (task)',
        display_title: 'echo 42 (task)',
        event: 'workflow_dispatch',
        status: 'completed',
        conclusion: 'success',
        head_branch: 'main',
        path: '.github/workflows/echo.yml',
        actor: { login: 'claude-cluster[bot]' },
      });
      const jobs = await f.octokit.rest.actions.listJobsForWorkflowRun({
        ...where,
        run_id: Number(data.workflow_run_id),
      });
      expect(jobs.data.jobs.map((job) => [job.name, job.status, job.conclusion])).toEqual([
        ['say', 'completed', 'success'],
      ]);
      expect(f.fake.state.jobs.get(jobs.data.jobs[0]?.id ?? 0)?.log).toContain('run 42');
    });

    it('without the flag answers 204, and the run is found by listing runs', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      expect((await dispatch({ 'run-id': '7', mode: 'plan' })).status).toBe(204);
      await f.fake.idle();
      const listed = await f.octokit.rest.actions.listWorkflowRunsForRepo({
        ...where,
        event: 'workflow_dispatch',
        status: 'success',
        created: `>=${since}`,
      });
      expect(listed.data.workflow_runs.map((run) => run.name)).toEqual(['echo 7 (plan)']);
      expect(
        (await f.octokit.rest.actions.listWorkflowRunsForRepo({ ...where, event: 'push' })).data.total_count,
      ).toBe(0);
    });

    it('on a server that rejects return_run_details answers 422, then 204 without it', async () => {
      f.fake.rejectRunDetails('octo/widgets');
      const refused = await statusOf(dispatch({ 'run-id': '1' }, { return_run_details: true }));
      expect(refused.status).toBe(422);
      expect(f.fake.state.runs()).toEqual([]);
      expect((await dispatch({ 'run-id': '1' })).status).toBe(204);
      await f.fake.idle();
    });

    it('refuses inputs the workflow does not declare or lacks, with GitHub’s messages', async () => {
      expect(await statusOf(dispatch({ 'run-id': '1', colour: 'red' }))).toEqual({
        status: 422,
        message: 'Unexpected inputs provided: ["colour"]',
      });
      expect(await statusOf(dispatch({ mode: 'task' }))).toEqual({
        status: 422,
        message: "Required input 'run-id' not provided",
      });
      expect((await statusOf(dispatch({ 'run-id': '1', mode: 'deploy' }))).message).toBe(
        "Provided value 'deploy' for input 'mode' not in the list of allowed values",
      );
      const missing = f.octokit.rest.actions.createWorkflowDispatch({
        ...where,
        workflow_id: 'nope.yml',
        ref: 'main',
      });
      expect((await statusOf(missing)).status).toBe(404);
    });
  });

  describe('cancelling a run', () => {
    it('stops its running job, marks both cancelled, and answers 409 once it completed', async () => {
      const { data } = await dispatch({ 'run-id': '1', seconds: '30' }, { return_run_details: true });
      const runId = Number(data?.workflow_run_id ?? 0);
      await until(() => f.fake.state.runJobs(runId)[0]?.status === 'in_progress');
      expect((await f.octokit.rest.actions.cancelWorkflowRun({ ...where, run_id: runId })).status).toBe(202);
      await f.fake.idle();
      expect(f.fake.state.workflowRuns.get(runId)).toMatchObject({
        status: 'completed',
        conclusion: 'cancelled',
      });
      expect(f.fake.state.runJobs(runId).map((job) => job.conclusion)).toEqual(['cancelled']);
      expect(
        (await statusOf(f.octokit.rest.actions.cancelWorkflowRun({ ...where, run_id: runId }))).status,
      ).toBe(409);
    });
  });

  describe('a concurrency group', () => {
    it('runs one run at a time and keeps only the newest waiting run, cancelling the one it replaces', async () => {
      const ids: number[] = [];
      for (const seconds of ['2', '0', '0']) {
        const { data } = await dispatch({ 'run-id': 'same', seconds }, { return_run_details: true });
        ids.push(Number(data?.workflow_run_id ?? 0));
      }
      expect(ids.map((id) => f.fake.state.workflowRuns.get(id)?.status)).toEqual([
        'in_progress',
        'completed',
        'pending',
      ]);
      await f.fake.idle();
      expect(ids.map((id) => f.fake.state.workflowRuns.get(id)?.conclusion)).toEqual([
        'success',
        'cancelled',
        'success',
      ]);
    });
  });
});
