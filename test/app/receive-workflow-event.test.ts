import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveWorkflowEvent } from '../../app/receive-workflow-event.ts';
import { EnvironmentError } from '../../core/errors/errors.ts';
import { API } from '../github/github-api.ts';
import { webhookExample } from '../github/webhook-examples.ts';
import { fakeOrchestrator } from './fake-orchestrator.ts';
import { fileResponse, OWNER, REPO } from './github-mocks.ts';

const TestOctokit = ProbotOctokit.defaults((defaults: object) => ({
  ...defaults,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cluster-workflow-event-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the event file as the runner does and returns the job's environment for it. */
async function jobEnv(name: string, payload: object, overrides: Record<string, string> = {}) {
  const path = join(dir, 'event.json');
  await writeFile(path, JSON.stringify(payload));
  return {
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: path,
    GITHUB_TOKEN: 'ghs_workflow_token',
    GITHUB_RUN_ID: '777',
    GITHUB_API_URL: API,
    ...overrides,
  };
}

/** Mocks the calls of an authorized request, each checked to carry the workflow's token. */
function mockAuthorizedRequest(login: string): void {
  const api = nock(API).matchHeader('authorization', 'token ghs_workflow_token');
  api.get(/\/contents\//).reply(200, fileResponse(''));
  api.get(`/repos/${OWNER}/${REPO}/collaborators/${login}/permission`).reply(200, { permission: 'write' });
}

describe('receiveWorkflowEvent', () => {
  describe('with a /cluster comment', () => {
    it('runs the App’s routes with the workflow’s token', async () => {
      const fake = fakeOrchestrator();
      const payload = webhookExample('issue_comment', 'created');
      payload.comment.body = '/cluster status';
      mockAuthorizedRequest(payload.sender.login);

      await receiveWorkflowEvent({
        env: await jobEnv('issue_comment', payload),
        orchestrator: fake.orchestrator,
        Octokit: TestOctokit,
      });

      expect(fake.calls).toMatchObject([
        {
          operation: 'showStatus',
          context: { trustedAuthors: ['github-actions[bot]'] },
        },
      ]);
    });

    it('ignores the comments the workflow’s token wrote', async () => {
      const fake = fakeOrchestrator();
      const payload = webhookExample('issue_comment', 'created');
      payload.comment.body = '/cluster help';
      payload.sender = { ...payload.sender, login: 'github-actions[bot]', type: 'Bot' };

      await receiveWorkflowEvent({
        env: await jobEnv('issue_comment', payload),
        orchestrator: fake.orchestrator,
        Octokit: TestOctokit,
      });

      expect(fake.calls).toEqual([]);
    });
  });

  describe('with the label', () => {
    it('keys the trigger by the workflow run, so a re-run is the same trigger', async () => {
      const fake = fakeOrchestrator();
      const payload = { ...webhookExample('issues', 'labeled'), label: { name: 'cluster' } };
      mockAuthorizedRequest(payload.sender.login);

      await receiveWorkflowEvent({
        env: await jobEnv('issues', payload),
        orchestrator: fake.orchestrator,
        Octokit: TestOctokit,
      });

      expect(fake.calls).toMatchObject([
        { operation: 'startRun', request: { triggerId: 'label-1-workflow-run-777' } },
      ]);
    });
  });

  describe('with a task run that succeeded (workflows get no workflow_job events)', () => {
    it('reconciles the run, which dispatches the next wave', async () => {
      const fake = fakeOrchestrator();
      const example = webhookExample('workflow_run', 'completed');
      const payload = {
        ...example,
        workflow_run: {
          ...example.workflow_run,
          display_title: 'claude-cluster 42-0123abcd (task)',
          conclusion: 'success',
        },
      };
      nock(API)
        .matchHeader('authorization', 'token ghs_workflow_token')
        .get(/\/contents\//)
        .reply(200, fileResponse(''));

      await receiveWorkflowEvent({
        env: await jobEnv('workflow_run', payload),
        orchestrator: fake.orchestrator,
        Octokit: TestOctokit,
      });

      expect(fake.calls).toMatchObject([{ operation: 'reconcileRun', request: { runId: '42-0123abcd' } }]);
    });
  });

  describe('outside a workflow job', () => {
    it('names the missing variable', async () => {
      const env = await jobEnv('issues', {}, { GITHUB_TOKEN: '' });
      const fake = fakeOrchestrator();
      const received = receiveWorkflowEvent({ env, orchestrator: fake.orchestrator, Octokit: TestOctokit });
      await expect(received).rejects.toBeInstanceOf(EnvironmentError);
      await expect(received).rejects.toThrow(
        /^GITHUB_TOKEN is not set; .*`GITHUB_TOKEN: \$\{\{ github\.token \}\}`/,
      );
    });

    it('names an unreadable event file', async () => {
      const env = await jobEnv('issues', {}, { GITHUB_EVENT_PATH: join(dir, 'missing.json') });
      const fake = fakeOrchestrator();
      await expect(
        receiveWorkflowEvent({ env, orchestrator: fake.orchestrator, Octokit: TestOctokit }),
      ).rejects.toThrow(/^cannot read the event file .*missing\.json \(GITHUB_EVENT_PATH\)/);
    });
  });
});
