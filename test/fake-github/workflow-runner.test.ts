import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verify } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePlanRecord } from '../../core/github/plan-record.ts';
import { type FakeFixture, startFakeFixture } from './fake-github-fixture.ts';
import { startWebhookReceiver, type WebhookReceiver } from './receive-webhooks.ts';

const run = promisify(execFile);
const SECRET = 'runner-secret';
const PLANNED_ISSUE = [
  '```cluster',
  'tasks:',
  '  - { id: db, title: Users table, prompt: "@write db.txt = users" }',
  '  - { id: api, title: Users endpoint, prompt: "@write api.txt = GET /users", depends_on: [db] }',
  '```',
].join('\n');

let f: FakeFixture;
let receiver: WebhookReceiver;
const where = { owner: 'octo', repo: 'widgets' };
beforeEach(async () => {
  receiver = await startWebhookReceiver();
  f = await startFakeFixture(
    { files: { 'README.md': '# widgets\n', 'notes.txt': 'one\ntwo\nthree\n' } },
    { webhookUrl: receiver.url, webhookSecret: SECRET },
  );
  f.fake.createIssue('octo/widgets', { title: 'Add the users API', body: PLANNED_ISSUE });
});
afterEach(async () => {
  await f.close();
  await receiver.close();
});

const task = (id: string, prompt: string) => ({ id, title: `Task ${id}`, prompt, depends_on: [], files: [] });
const branches = async () =>
  (await f.fake.git('octo/widgets', 'for-each-ref', '--format=%(refname:short)', 'refs/heads/cluster/'))
    .split('\n')
    .filter(Boolean);

/** Dispatches the claude-cluster workflow as the App does and waits until the run and its webhooks are done. */
async function dispatchCluster(inputs: Record<string, string>) {
  const { data } = await f.octokit.request(
    'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    {
      ...where,
      workflow_id: 'claude-cluster.yml',
      ref: 'main',
      inputs: { 'run-id': '42', 'issue-number': '1', ...inputs },
      return_run_details: true,
    },
  );
  await f.fake.idle();
  const runId = Number(data?.workflow_run_id ?? 0);
  return { run: f.fake.state.workflowRuns.get(runId), jobs: f.fake.state.runJobs(runId) };
}

describe('the fake GitHub’s workflow runner', () => {
  describe('with a task-mode dispatch of the claude-cluster workflow', () => {
    it('runs one bundled-action job per task, pushes the task, ledger and integration branches, and reports through webhooks', async () => {
      const tasks = [task('alpha', '@write a.txt = a'), task('beta', '@write b.txt = b')];
      const { run: done, jobs } = await dispatchCluster({
        mode: 'task',
        tasks: JSON.stringify(tasks),
        'max-parallel': '2',
      });
      expect(done).toMatchObject({
        name: 'claude-cluster 42 (task)',
        status: 'completed',
        conclusion: 'success',
      });
      expect(jobs.map((job) => [job.name, job.conclusion])).toEqual([
        ['plan', 'skipped'],
        ['task alpha (42)', 'success'],
        ['task beta (42)', 'success'],
      ]);
      expect(jobs.slice(1).map((job) => job.outputs.status)).toEqual(['integrated', 'integrated']);
      expect(await branches()).toEqual([
        'cluster/42/integration',
        'cluster/42/ledger',
        'cluster/42/tasks/alpha',
        'cluster/42/tasks/beta',
      ]);
      expect(await f.fake.git('octo/widgets', 'show', 'cluster/42/integration:a.txt')).toBe('a');
      expect(await f.fake.git('octo/widgets', 'show', 'cluster/42/integration:b.txt')).toBe('b');

      const completedJobs = receiver
        .events('workflow_job', 'completed')
        .map((hook) => hook.payload.workflow_job);
      expect(completedJobs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'task alpha (42)', conclusion: 'success', run_id: done?.id }),
          expect.objectContaining({ name: 'task beta (42)', conclusion: 'success', run_id: done?.id }),
        ]),
      );
      expect(receiver.events('workflow_job', 'in_progress')).toHaveLength(2);
      const [completedRun] = receiver.events('workflow_run', 'completed');
      expect(completedRun?.payload).toMatchObject({
        workflow_run: { id: done?.id, name: 'claude-cluster 42 (task)', conclusion: 'success' },
        installation: { id: 7 },
      });
      expect(await verify(SECRET, completedRun?.body ?? '', completedRun?.signature ?? '')).toBe(true);
    });

    it('fails the job of a failing task and the run, and keeps the task’s partial work on its branch', async () => {
      const tasks = [task('broken', '@write half.txt = half\n@fail cannot compile')];
      const { run: done, jobs } = await dispatchCluster({ mode: 'task', tasks: JSON.stringify(tasks) });
      expect(done?.conclusion).toBe('failure');
      const broken = jobs.find((job) => job.name === 'task broken (42)');
      expect(broken).toMatchObject({ conclusion: 'failure', outputs: { status: 'failed' } });
      expect(broken?.log).toContain('cannot compile');
      expect(await f.fake.git('octo/widgets', 'show', 'cluster/42/tasks/broken:half.txt')).toBe('half');
      expect(receiver.events('workflow_run', 'completed')[0]?.payload).toMatchObject({
        workflow_run: { conclusion: 'failure' },
      });
    });

    it('fails the run without jobs when the tasks input is an empty matrix, as GitHub does', async () => {
      const { run: done, jobs } = await dispatchCluster({ mode: 'task', tasks: '[]' });
      expect(done).toMatchObject({
        conclusion: 'failure',
        problems: ["Matrix vector 'task' does not contain any values"],
      });
      expect(jobs.map((job) => job.conclusion)).toEqual(['skipped']);
    });
  });

  describe('with a plan-mode dispatch', () => {
    it('runs the plan job, which publishes the run record as github-actions[bot]', async () => {
      const { run: done, jobs } = await dispatchCluster({ mode: 'plan' });
      expect(done).toMatchObject({ name: 'claude-cluster 42 (plan)', conclusion: 'success' });
      expect(jobs.map((job) => [job.name, job.conclusion])).toEqual([
        ['plan', 'success'],
        ['task', 'skipped'],
      ]);
      expect(jobs[0]?.outputs['task-count']).toBe('2');
      const [comment] = f.fake.state.issueComments('octo/widgets', 1);
      expect(comment?.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
      expect(parsePlanRecord(comment?.body ?? '')).toMatchObject({
        runId: '42',
        issueNumber: 1,
        base: 'main',
      });
    });
  });
});

describe('git over HTTP on the fake GitHub', () => {
  it('refuses a clone without a token and a push from a user who may only read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-github-git-'));
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
    try {
      const anonymous = run('git', ['clone', '--quiet', f.fake.cloneUrl('octo/widgets'), join(dir, 'a')], {
        env,
      });
      await expect(anonymous).rejects.toThrow(/Authentication failed|401|could not read Username/);
      f.fake.setPermission('octo/widgets', 'reader', 'read');
      const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${f.fake.userToken('reader')}`).toString('base64')}`;
      const clone = join(dir, 'b');
      await run(
        'git',
        ['-c', `http.extraheader=${header}`, 'clone', '--quiet', f.fake.cloneUrl('octo/widgets'), clone],
        { env },
      );
      const push = run(
        'git',
        ['-c', `http.extraheader=${header}`, 'push', 'origin', 'HEAD:refs/heads/sneaky'],
        { cwd: clone, env },
      );
      await expect(push).rejects.toThrow(/403|denied/);
      expect(await branches()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
