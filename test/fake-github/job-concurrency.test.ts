import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeFixture, startFakeFixture } from './fake-github-fixture.ts';

/** One job in a job-level concurrency group named from an input; it sleeps as long as asked. */
const DEPLOY_WORKFLOW = `name: deploy
run-name: "deploy \${{ inputs.n }}"
on:
  workflow_dispatch:
    inputs:
      n: { required: true, type: string }
      seconds: { required: false, type: number, default: 0 }
      cancel: { required: false, type: boolean, default: false }
jobs:
  deploy:
    runs-on: ubuntu-latest
    concurrency:
      group: deploy-\${{ inputs.n == 'other' && 'elsewhere' || 'production' }}
      cancel-in-progress: \${{ inputs.cancel }}
    steps:
      - run: sleep \${{ inputs.seconds }}
`;

const where = { owner: 'octo', repo: 'widgets' };
let f: FakeFixture;
beforeEach(async () => {
  f = await startFakeFixture({
    files: { 'README.md': '# widgets\n', '.github/workflows/deploy.yml': DEPLOY_WORKFLOW },
  });
});
afterEach(() => f.close());

async function dispatch(inputs: Record<string, string>): Promise<number> {
  const { data } = await f.octokit.request(
    'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    {
      ...where,
      workflow_id: 'deploy.yml',
      ref: 'main',
      inputs,
      return_run_details: true,
    },
  );
  return Number(data?.workflow_run_id ?? 0);
}

const jobOf = (runId: number) => f.fake.state.runJobs(runId)[0];

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a job-level concurrency group in the fake GitHub', () => {
  it('runs one job of the group at a time, and a newer waiting job replaces (cancels) the older one', async () => {
    const first = await dispatch({ n: '1', seconds: '2' });
    await until(() => jobOf(first)?.status === 'in_progress');
    const second = await dispatch({ n: '2' });
    const third = await dispatch({ n: '3' });
    const elsewhere = await dispatch({ n: 'other' });
    await f.fake.idle();

    expect([first, second, third, elsewhere].map((id) => jobOf(id)?.conclusion)).toEqual([
      'success',
      'cancelled',
      'success',
      'success',
    ]);
    expect(f.fake.state.workflowRuns.get(second)?.conclusion).toBe('cancelled');
    // The third job waited for the first to finish; the job of another group did not.
    expect(Date.parse(jobOf(third)?.startedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(jobOf(first)?.completedAt ?? ''),
    );
    expect(Date.parse(jobOf(elsewhere)?.startedAt ?? '')).toBeLessThanOrEqual(
      Date.parse(jobOf(first)?.completedAt ?? ''),
    );
  });

  it('with cancel-in-progress cancels the running job of the group', async () => {
    const first = await dispatch({ n: '1', seconds: '30' });
    await until(() => jobOf(first)?.status === 'in_progress');
    const second = await dispatch({ n: '2', cancel: 'true' });
    await f.fake.idle();

    expect([first, second].map((id) => jobOf(id)?.conclusion)).toEqual(['cancelled', 'success']);
  });
});
