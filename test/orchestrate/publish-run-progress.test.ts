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
/** The pull request's head before a retry's finish publishes new code. */
const EARLIER = 'b'.repeat(40);
const INTEGRATION = 'cluster/42-0123abcd/integration';
const REF_PATH = `/repos/o/r/git/refs/${encodeURIComponent(`heads/${INTEGRATION}`)}`;
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
    report: runReport([taskOutcome({ id: 'api' })], { integrationBranch: INTEGRATION }),
    state: state({ finished: true }),
    projectedSha: HEAD,
    notes: ['Requested by @octocat.'],
    retried: false,
    fresh: false,
    draft: false,
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
    it("creates the integration branch at the run's code, opens the pull request, then a completed check run without looking for one, and links the PR in the status", async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      const order: string[] = [];
      let created: { ref?: string; sha?: string } = {};
      api
        .post('/repos/o/r/git/refs', (body) => {
          created = body ?? created;
          order.push('ref');
          return true;
        })
        .reply(201, {});
      api
        .post('/repos/o/r/pulls', () => {
          order.push('pull');
          return true;
        })
        .reply(201, { number: 77 });
      let check: { status?: string; conclusion?: string; head_sha?: string } = {};
      api
        .post('/repos/o/r/check-runs', (body) => {
          check = body ?? check;
          return true;
        })
        .reply(201, { id: 1 });
      const status = statusComment();

      await publishRunProgress(context, memory, progress({}));

      expect(created).toEqual({ ref: `refs/heads/${INTEGRATION}`, sha: HEAD });
      expect(order).toEqual(['ref', 'pull']);
      expect(check).toMatchObject({ head_sha: HEAD, status: 'completed', conclusion: 'success' });
      expect(status[0]).toContain('Pull request: #77');
    });
  });

  describe("when the run's configuration and the repository's file disagree on `draft`", () => {
    it('opens the pull request as the run started: ready for review', async () => {
      const api = nock(API);
      api.post('/repos/o/r/git/refs').reply(201, {});
      let opened: { draft?: boolean } = {};
      api
        .post('/repos/o/r/pulls', (body) => {
          opened = body ?? opened;
          return true;
        })
        .reply(201, { number: 77 });
      api.post('/repos/o/r/check-runs').reply(201, { id: 1 });
      statusComment();

      // The context's file says `draft: true` (the default); the run started with `draft: false`.
      await publishRunProgress(context, createOrchestratorMemory(), progress({ draft: false }));

      expect(context.config.draft).toBe(true);
      expect(opened.draft).toBe(false);
    });
  });

  describe('at a second finish of the same ledger in the same process', () => {
    it('publishes nothing again', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api.post('/repos/o/r/git/refs').reply(201, {});
      api.post('/repos/o/r/pulls').reply(201, { number: 77 });
      api.post('/repos/o/r/check-runs').reply(201, { id: 1 });
      statusComment();
      await publishRunProgress(context, memory, progress({}));

      await publishRunProgress(context, memory, progress({}));

      expect(nock.pendingMocks()).toEqual([]);
    });
  });

  describe('when the pull request exists already (another replica, a redelivery)', () => {
    it('moves the existing integration branch forward, updates the body instead of opening another, and updates the check run it finds', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api.post('/repos/o/r/git/refs').reply(422, { message: 'Reference already exists' });
      let moved: { sha?: string; force?: boolean } = {};
      api
        .patch(REF_PATH, (body) => {
          moved = body ?? moved;
          return true;
        })
        .reply(200, {});
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

      expect(moved).toEqual({ sha: HEAD, force: false });
      expect(status[0]).toContain('Pull request: #77');
    });
  });

  describe("when someone pushed over the run's code on the integration branch", () => {
    it('refuses to move it, naming the branch and what to do, and opens nothing', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api.post('/repos/o/r/git/refs').reply(422, { message: 'Reference already exists' });
      api.patch(REF_PATH).reply(422, { message: 'Update is not a fast forward' });
      api
        .get(`/repos/o/r/branches/${encodeURIComponent(INTEGRATION)}`)
        .reply(200, { name: INTEGRATION, commit: { sha: EARLIER, commit: { tree: { sha: EARLIER } } } });
      api
        .get('/repos/o/r/commits')
        .query(true)
        .reply(200, [{ sha: EARLIER, commit: { message: 'theirs', tree: { sha: EARLIER } }, parents: [] }]);

      await expect(publishRunProgress(context, memory, progress({}))).rejects.toThrow(
        `\`${INTEGRATION}\` was moved to bbbbbbb, which does not hold the run's code (aaaaaaa)`,
      );
      expect(nock.pendingMocks()).toEqual([]);
    });
  });

  describe('while a retried task runs after the pull request opened', () => {
    it('finds the pull request and shows the run in progress on its head, moving no branch', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api
        .get('/repos/o/r/pulls')
        .query(true)
        .reply(200, [{ number: 77, state: 'open', body: 'x', head: { sha: EARLIER } }]);
      api
        .get(`/repos/o/r/commits/${EARLIER}/check-runs`)
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

    it('at its finish moves the integration branch once to the new code and completes the check run there', async () => {
      const memory = createOrchestratorMemory();
      const api = nock(API);
      api
        .get('/repos/o/r/pulls')
        .query(true)
        .reply(200, [{ number: 77, state: 'open', body: 'x', head: { sha: EARLIER } }]);
      api
        .get(`/repos/o/r/commits/${EARLIER}/check-runs`)
        .query(true)
        .reply(200, { total_count: 0, check_runs: [] });
      api.post('/repos/o/r/check-runs').reply(201, { id: 2 });
      statusComment();
      await publishRunProgress(
        context,
        memory,
        progress({ state: state({ finished: false, inFlight: ['api'] }), retried: true }),
      );
      const moves: unknown[] = [];
      api
        .patch(REF_PATH, (body) => {
          moves.push(body);
          return true;
        })
        .reply(200, {});
      api
        .post('/repos/o/r/pulls')
        .reply(422, { message: 'A pull request already exists for o:cluster/42-0123abcd/integration.' });
      api
        .get('/repos/o/r/pulls')
        .query(true)
        .reply(200, [{ number: 77, state: 'open', body: 'x', head: { sha: EARLIER } }]);
      api.patch('/repos/o/r/pulls/77').reply(200, { number: 77 });
      let check: { head_sha?: string; status?: string } = {};
      api
        .get(`/repos/o/r/commits/${HEAD}/check-runs`)
        .query(true)
        .reply(200, { total_count: 0, check_runs: [] });
      api
        .post('/repos/o/r/check-runs', (body) => {
          check = body ?? check;
          return true;
        })
        .reply(201, { id: 3 });

      await publishRunProgress(context, memory, progress({ retried: true }));

      expect(moves).toEqual([{ sha: HEAD, force: false }]);
      expect(check).toMatchObject({ head_sha: HEAD, status: 'completed' });
      expect(nock.pendingMocks()).toEqual([]);
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
