import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import type { RunState } from '../../core/orchestrate/derive-run-state.ts';
import type { OrchestratorContext } from '../../core/orchestrate/orchestrator.ts';
import { createOrchestratorMemory } from '../../core/orchestrate/orchestrator-memory.ts';
import { publishRunProgress, type RunProgress } from '../../core/orchestrate/publish-run-progress.ts';
import { API, commentResponse, testOctokit } from '../github/github-api.ts';
import { runReport, taskOutcome } from '../report/build-run-report.ts';

const HEAD = 'a'.repeat(40);
const context: OrchestratorContext = {
  octokit: testOctokit(),
  owner: 'o',
  repo: 'r',
  config: ConfigSchema.parse({}),
  defaultBranch: 'main',
  trustedAuthors: ['claude-cluster[bot]'],
};

function state(overrides: Partial<RunState>): RunState {
  return {
    tasks: new Map(),
    cancelled: false,
    closed: false,
    approved: true,
    inFlight: [],
    toSkip: [],
    ready: [],
    finished: false,
    ...overrides,
  };
}

function progress(overrides: Partial<RunProgress>): RunProgress {
  return {
    repo: { owner: 'o', repo: 'r' },
    runId: '42-0123abcd',
    issueNumber: 42,
    title: 'Add user accounts',
    report: runReport([taskOutcome({ id: 'api' })], { integrationBranch: 'cluster/42-0123abcd/integration' }),
    state: state({ finished: true }),
    headSha: HEAD,
    notes: ['Requested by @octocat.'],
    retried: false,
    fresh: false,
    ...overrides,
  };
}

/** The status comment exists as comment 5; records the bodies written to it. */
function statusComment(): string[] {
  const bodies: string[] = [];
  const api = nock(API);
  api
    .get('/repos/o/r/issues/42/comments')
    .query(true)
    .reply(200, [
      commentResponse({
        id: 5,
        body: '<!-- claude-cluster:status 42-0123abcd -->\nold',
        login: 'claude-cluster[bot]',
      }),
    ]);
  api
    .patch('/repos/o/r/issues/comments/5', (body) => {
      if (typeof body?.body === 'string') bodies.push(body.body);
      return true;
    })
    .reply(200, commentResponse({ id: 5, body: '', login: 'claude-cluster[bot]' }));
  return bodies;
}

describe('publishRunProgress', () => {
  describe('at the first finish', () => {
    it('opens the pull request, then a completed check run without looking for one, and links the PR in the status', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api.post('/repos/o/r/pulls').reply(201, { number: 77 });
      let check: { status?: string; conclusion?: string; head_sha?: string } = {};
      api
        .post('/repos/o/r/check-runs', (body) => {
          check = body ?? check;
          return true;
        })
        .reply(201, { id: 1 });
      const status = statusComment();

      await publishRunProgress(context, memory, progress({}));

      expect(check).toMatchObject({ head_sha: HEAD, status: 'completed', conclusion: 'success' });
      expect(status[0]).toContain('Pull request: #77');
    });
  });

  describe('at a second finish of the same ledger in the same process', () => {
    it('publishes nothing again', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api.post('/repos/o/r/pulls').reply(201, { number: 77 });
      api.post('/repos/o/r/check-runs').reply(201, { id: 1 });
      statusComment();
      await publishRunProgress(context, memory, progress({}));

      await publishRunProgress(context, memory, progress({}));

      expect(nock.pendingMocks()).toEqual([]);
    });
  });

  describe('when the pull request exists already (another replica, a redelivery)', () => {
    it('updates its body instead of opening another, and updates the check run it finds', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api
        .post('/repos/o/r/pulls')
        .reply(422, { message: 'A pull request already exists for o:cluster/42-0123abcd/integration.' });
      api
        .get('/repos/o/r/pulls')
        .query(true)
        .reply(200, [{ number: 77, state: 'open', body: 'old' }]);
      api.patch('/repos/o/r/pulls/77').reply(200, { number: 77 });
      api
        .get(`/repos/o/r/commits/${HEAD}/check-runs`)
        .query(true)
        .reply(200, { total_count: 1, check_runs: [{ id: 9 }] });
      api.patch('/repos/o/r/check-runs/9').reply(200, { id: 9 });
      const status = statusComment();

      await publishRunProgress(context, memory, progress({}));

      expect(status[0]).toContain('Pull request: #77');
    });
  });

  describe('while a retried task runs after the pull request opened', () => {
    it('finds the pull request and shows the run in progress on the new head', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api
        .get('/repos/o/r/pulls')
        .query(true)
        .reply(200, [{ number: 77, state: 'open', body: 'x' }]);
      api
        .get(`/repos/o/r/commits/${HEAD}/check-runs`)
        .query(true)
        .reply(200, { total_count: 0, check_runs: [] });
      let check: { status?: string; conclusion?: string } = {};
      api
        .post('/repos/o/r/check-runs', (body) => {
          check = body ?? check;
          return true;
        })
        .reply(201, { id: 2 });
      statusComment();

      await publishRunProgress(
        context,
        memory,
        progress({ state: state({ finished: false, inFlight: ['api'] }), retried: true }),
      );

      expect(check.status).toBe('in_progress');
      expect(check.conclusion).toBeUndefined();
    });
  });

  describe('after its pull request was closed unmerged', () => {
    it('opens no pull request and says why in the status', async () => {
      const memory = createOrchestratorMemory();
      const status = statusComment();

      await publishRunProgress(context, memory, progress({ state: state({ finished: true, closed: true }) }));

      expect(status[0]).toContain('closed without merging');
    });
  });
});
