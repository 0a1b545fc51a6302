import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { parseLedgerMessage } from '../../core/integrate/ledger-format.ts';
import { createOrchestrator } from '../../core/orchestrate/create-orchestrator.ts';
import type { OrchestratorContext } from '../../core/orchestrate/orchestrator.ts';
import { API, commentResponse, testOctokit } from '../github/github-api.ts';

afterEach(() => {
  nock.cleanAll();
});

/** The owner's `.github` file as the App read it for this event: it is not the checkout's. */
const config = ConfigSchema.parse({ branch_prefix: 'bots/cluster', max_tasks: 3 });
const context: OrchestratorContext = {
  octokit: testOctokit(),
  owner: 'o',
  repo: 'r',
  config,
  defaultBranch: 'main',
  trustedAuthors: ['claude-cluster[bot]'],
};

describe('createOrchestrator', () => {
  describe('startRun on an issue without a plan', () => {
    it('records the configuration in the start entry and sends the planning job the branch prefix to find it by', async () => {
      const api = nock(API);
      api.get('/repos/o/r/branches/main').reply(200, {
        name: 'main',
        commit: { sha: 'b'.repeat(40), commit: { tree: { sha: 't'.repeat(40) } } },
      });
      let startMessage = '';
      api
        .post('/repos/o/r/git/commits', (body) => {
          startMessage = body?.message ?? startMessage;
          return true;
        })
        .reply(201, { sha: 's'.repeat(40) });
      let createdRef = '';
      api
        .post('/repos/o/r/git/refs', (body) => {
          createdRef = body?.ref ?? createdRef;
          return true;
        })
        .reply(201, {});
      let dispatched: { inputs?: Record<string, string> } = {};
      api
        .post('/repos/o/r/actions/workflows/claude-cluster.yml/dispatches', (body) => {
          dispatched = body ?? dispatched;
          return true;
        })
        .reply(200, { workflow_run_id: 9 });
      api
        .post('/repos/o/r/issues/7/comments')
        .reply(201, commentResponse({ id: 1, body: '', login: 'claude-cluster[bot]' }));

      await createOrchestrator().startRun(context, {
        issueNumber: 7,
        title: 'Add accounts',
        body: 'Add user accounts.',
        requestedBy: 'octocat',
        triggerId: 'comment-42',
        planOnly: false,
      });

      expect(createdRef).toMatch(/^refs\/heads\/bots\/cluster\/7-[0-9a-f]{8}\/ledger$/);
      const start = parseLedgerMessage(startMessage);
      expect(start?.event).toBe('start');
      expect(JSON.parse(start?.excerpt ?? '{}').config).toMatchObject({
        branch_prefix: 'bots/cluster',
        max_tasks: 3,
      });
      expect(dispatched.inputs).toMatchObject({ mode: 'plan', 'issue-number': '7', 'base-ref': 'main' });
      expect(JSON.parse(dispatched.inputs?.tasks ?? 'null')).toEqual({ branch_prefix: 'bots/cluster' });
      expect(dispatched.inputs?.['run-id']).toBe(createdRef.split('/').at(-2));
      expect(api.pendingMocks()).toEqual([]);
    });
  });
});
