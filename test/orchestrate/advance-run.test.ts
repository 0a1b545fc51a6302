import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { InputError } from '../../core/errors/errors.ts';
import {
  formatLedgerMessage,
  type LedgerEntryInput,
  parseLedgerMessage,
} from '../../core/integrate/ledger-format.ts';
import type { LedgerRecord } from '../../core/integrate/read-ledger.ts';
import { advanceRun } from '../../core/orchestrate/advance-run.ts';
import { formatDispatchRecord, parseDispatchRecord } from '../../core/orchestrate/dispatch-record.ts';
import type { OrchestratorContext } from '../../core/orchestrate/orchestrator.ts';
import type { Plan } from '../../core/plan/plan-schema.ts';
import { assertValidPlan } from '../../core/plan/validate-plan.ts';
import { API, testOctokit } from '../github/github-api.ts';

const RUN = '7-0123abcd';
const BRANCH = `cluster/${RUN}/ledger`;
const OTHER = 'f'.repeat(16);
const config = ConfigSchema.parse({ max_parallel: 4 });
const plan = assertValidPlan({
  tasks: [
    { id: 'db', title: 'DB', prompt: 'Add the schema.' },
    { id: 'docs', title: 'Docs', prompt: 'Write the docs.' },
    { id: 'api', title: 'API', prompt: 'Add the API.', depends_on: ['db'] },
  ],
});
const startEntry: LedgerEntryInput = {
  event: 'start',
  run: RUN,
  base: 'main',
  baseCommit: 'b'.repeat(40),
  title: 'T',
};
const startRecord: LedgerRecord = {
  ...parseLedgerMessage(formatLedgerMessage('Start', startEntry))!,
  ledgerCommit: 's'.repeat(40),
};

/** The ledger record of another orchestrator's dispatch of `db` and `docs` in workflow run 11. */
const dbAndDocsDispatched: LedgerRecord = {
  ...parseLedgerMessage(
    formatLedgerMessage('Dispatch', {
      event: 'dispatch',
      run: RUN,
      excerpt: formatDispatchRecord({
        token: OTHER,
        tasks: [
          { id: 'db', attempt: 1 },
          { id: 'docs', attempt: 1 },
        ],
        workflowRun: 11,
      }),
    }),
  )!,
  ledgerCommit: 'o'.repeat(40),
};

function context(): OrchestratorContext {
  return { octokit: testOctokit(), owner: 'o', repo: 'r', config, defaultBranch: 'main', trustedAuthors: [] };
}

function input(
  overrides: {
    ledger?: LedgerRecord[];
    endedJob?: Parameters<typeof advanceRun>[0]['endedJob'];
    plan?: Plan;
    config?: typeof config;
  } = {},
) {
  return {
    context: context(),
    runId: RUN,
    repo: { owner: 'o', repo: 'r' },
    ledgerBranch: BRANCH,
    taskBranch: (id: string) => `cluster/${RUN}/tasks/${id}`,
    issueNumber: 7,
    base: 'main',
    start: { source: 'block' as const, requestedBy: 'octocat', needsApproval: false },
    plan: overrides.plan ?? plan,
    config: overrides.config ?? config,
    ledger: overrides.ledger ?? [startRecord],
    tip: { sha: 's'.repeat(40), tree: 't'.repeat(40) },
    ...(overrides.endedJob ? { endedJob: overrides.endedJob } : {}),
  };
}

/** Answers `count` commit creations with shas `111…`, `222…`, recording their messages. */
function recordCommits(messages: string[], count: number): void {
  for (let n = 1; n <= count; n++) {
    nock(API)
      .post('/repos/o/r/git/commits', (body) => {
        if (typeof body?.message === 'string') messages.push(body.message);
        return true;
      })
      .reply(201, { sha: `${n}`.repeat(40) });
  }
}

/** A commits-list item as `GET /repos/{o}/{r}/commits` answers it. */
function listed(sha: string, message: string, parent: string) {
  return { sha, commit: { message, tree: { sha: 't'.repeat(40) } }, parents: [{ sha: parent }] };
}

describe('advanceRun', () => {
  describe('with ready tasks', () => {
    it('dispatches them as one matrix carrying one token, then records that dispatch', async () => {
      let sentTasks: { id: string; dispatch: string }[] = [];
      let recorded = '';
      const api = nock(API);
      api
        .post('/repos/o/r/actions/workflows/claude-cluster.yml/dispatches', (body) => {
          sentTasks = JSON.parse(body?.inputs?.tasks ?? '[]');
          return body?.return_run_details === true;
        })
        .reply(200, { workflow_run_id: 4242 });
      api
        .post('/repos/o/r/git/commits', (body) => {
          recorded = body?.message ?? recorded;
          return true;
        })
        .reply(201, { sha: 'd'.repeat(40) });
      api
        .patch(`/repos/o/r/git/refs/${encodeURIComponent(`heads/${BRANCH}`)}`, {
          sha: 'd'.repeat(40),
          force: false,
        })
        .reply(200, {});

      const result = await advanceRun(input());

      expect(sentTasks.map((task) => task.id)).toEqual(['db', 'docs']);
      const token = sentTasks[0]!.dispatch;
      expect(sentTasks[1]!.dispatch).toBe(token);
      const entry = parseLedgerMessage(recorded);
      expect(entry?.event === 'dispatch' && parseDispatchRecord(entry.excerpt)).toEqual({
        token,
        tasks: [
          { id: 'db', attempt: 1 },
          { id: 'docs', attempt: 1 },
        ],
        workflowRun: 4242,
      });
      expect(result.state.inFlight).toEqual(['db', 'docs']);
      expect(result.tip.sha).toBe('d'.repeat(40));
    });
  });

  describe("when the run's configuration differs from the repository's file now", () => {
    it("dispatches the wave with the run's max_parallel and branch prefix, not the file's", async () => {
      let sent: { inputs?: Record<string, string> } = {};
      const api = nock(API);
      api
        .post('/repos/o/r/actions/workflows/claude-cluster.yml/dispatches', (body) => {
          sent = body ?? sent;
          return true;
        })
        .reply(200, { workflow_run_id: 4244 });
      recordCommits([], 1);
      api.patch(`/repos/o/r/git/refs/${encodeURIComponent(`heads/${BRANCH}`)}`).reply(200, {});

      // The context holds the file as read for this event (max_parallel 4); the run started with 2.
      await advanceRun(input({ config: ConfigSchema.parse({ max_parallel: 2 }) }));

      expect(sent.inputs?.['max-parallel']).toBe('2');
      const tasks = JSON.parse(sent.inputs?.tasks ?? '[]') as { branch_prefix?: string }[];
      expect(tasks.map((task) => task.branch_prefix)).toEqual(['cluster', 'cluster']);
    });
  });

  describe('when another orchestrator recorded a dispatch of the same task first', () => {
    it('re-reads the ledger and records only the tasks nobody owns yet, with its own token', async () => {
      let sentToken = '';
      const messages: string[] = [];
      const api = nock(API);
      api
        .post('/repos/o/r/actions/workflows/claude-cluster.yml/dispatches', (body) => {
          sentToken = JSON.parse(body?.inputs?.tasks ?? '[{}]')[0].dispatch ?? '';
          return true;
        })
        .reply(200, { workflow_run_id: 4243 });
      recordCommits(messages, 2);
      const ref = `/repos/o/r/git/refs/${encodeURIComponent(`heads/${BRANCH}`)}`;
      api.patch(ref).reply(422, { message: 'Update is not a fast forward' });
      const theirs = formatLedgerMessage('Dispatch', {
        event: 'dispatch',
        run: RUN,
        excerpt: formatDispatchRecord({ token: OTHER, tasks: [{ id: 'db', attempt: 1 }] }),
      });
      api
        .get('/repos/o/r/commits')
        .query(true)
        .reply(200, [
          listed('o'.repeat(40), theirs, 's'.repeat(40)),
          listed('s'.repeat(40), formatLedgerMessage('Start', startEntry), 'b'.repeat(40)),
        ]);
      api.patch(ref).reply(200, {});

      const result = await advanceRun(input());

      const mine = parseLedgerMessage(messages[1]!);
      expect(mine?.event === 'dispatch' && parseDispatchRecord(mine.excerpt)).toEqual({
        token: sentToken,
        tasks: [{ id: 'docs', attempt: 1 }],
        workflowRun: 4243,
      });
      expect(result.state.tasks.get('db')?.dispatch?.token).toBe(OTHER);
      expect(result.state.tasks.get('docs')?.dispatch?.token).toBe(sentToken);
    });
  });

  describe('when a job ended without recording an outcome', () => {
    it('records the task as failed and skips its dependents in one update, dispatching nothing new', async () => {
      const messages: string[] = [];
      const api = nock(API);
      recordCommits(messages, 2);
      api
        .patch(`/repos/o/r/git/refs/${encodeURIComponent(`heads/${BRANCH}`)}`, {
          sha: '2'.repeat(40),
          force: false,
        })
        .reply(200, {});

      const result = await advanceRun(
        input({
          ledger: [startRecord, dbAndDocsDispatched],
          endedJob: {
            taskId: 'db',
            conclusion: 'cancelled',
            workflowRunId: 11,
            url: 'https://github.com/o/r/actions/runs/11/job/1',
          },
        }),
      );

      expect(messages.map((message) => message.split('\n')[0])).toEqual([
        'Record task db as failed: DB [skip ci]',
        'Record task api as skipped: API [skip ci]',
      ]);
      expect(result.state.tasks.get('db')?.entry?.reason).toContain(
        'its job ended (cancelled) without recording an outcome',
      );
      expect(result.state.tasks.get('api')?.entry?.reason).toBe('depends on `db`, which failed');
    });

    it('ignores a job of a dispatch that does not own the task', async () => {
      const result = await advanceRun(
        input({
          ledger: [startRecord, dbAndDocsDispatched],
          endedJob: { taskId: 'db', conclusion: 'failure', workflowRunId: 99 },
        }),
      );

      expect(result.state.tasks.get('db')?.state).toBe('running');
    });
  });

  describe('with a wave whose inputs do not fit one workflow_dispatch', () => {
    /** Independent tasks whose prompts are `length` letters each. */
    const bigPlan = (count: number, length: number) =>
      assertValidPlan({
        tasks: Array.from({ length: count }, (_, n) => ({
          id: `t${n}`,
          title: `Task ${n}`,
          prompt: 'x'.repeat(length),
        })),
      });
    const DISPATCHES = '/repos/o/r/actions/workflows/claude-cluster.yml/dispatches';

    /** Answers every dispatch with the next workflow run id from 500, keeping each request's inputs. */
    function recordDispatches(sent: Record<string, string>[], count: number) {
      for (let n = 0; n < count; n++) {
        nock(API)
          .post(DISPATCHES, (body) => {
            sent.push(body.inputs);
            return true;
          })
          .reply(200, { workflow_run_id: 500 + n });
      }
    }

    it('splits the wave so that every dispatch, all its inputs counted, stays within 65,535 characters', async () => {
      // The tasks alone take 65,511 characters as JSON: within the limit, but not with the other inputs.
      const twoTasks = bigPlan(2, 32_650);
      const sent: Record<string, string>[] = [];
      const messages: string[] = [];
      recordDispatches(sent, 2);
      recordCommits(messages, 2);
      nock(API)
        .patch(`/repos/o/r/git/refs/${encodeURIComponent(`heads/${BRANCH}`)}`)
        .reply(200, {});

      const result = await advanceRun(input({ plan: twoTasks }));

      expect(sent).toHaveLength(2);
      for (const inputs of sent) expect(JSON.stringify(inputs).length).toBeLessThanOrEqual(65_535);
      const parts = sent.map((inputs) => JSON.parse(inputs.tasks!) as { id: string; dispatch: string }[]);
      expect(parts.map((part) => part.map((task) => task.id))).toEqual([['t0'], ['t1']]);
      expect(parts[0]![0]!.dispatch).not.toBe(parts[1]![0]!.dispatch);
      const records = messages.map((message) => {
        const entry = parseLedgerMessage(message);
        return entry?.event === 'dispatch' ? parseDispatchRecord(entry.excerpt) : undefined;
      });
      expect(records).toEqual([
        { token: parts[0]![0]!.dispatch, tasks: [{ id: 't0', attempt: 1 }], workflowRun: 500 },
        { token: parts[1]![0]!.dispatch, tasks: [{ id: 't1', attempt: 1 }], workflowRun: 501 },
      ]);
      expect(result.state.inFlight).toEqual(['t0', 't1']);
    });

    it('sends tasks that fit together in one dispatch and only the rest in another', async () => {
      const sent: Record<string, string>[] = [];
      recordDispatches(sent, 2);
      recordCommits([], 2);
      nock(API)
        .patch(`/repos/o/r/git/refs/${encodeURIComponent(`heads/${BRANCH}`)}`)
        .reply(200, {});

      await advanceRun(input({ plan: bigPlan(4, 20_000) }));

      expect(sent.map((inputs) => JSON.parse(inputs.tasks!).map((task: { id: string }) => task.id))).toEqual([
        ['t0', 't1', 't2'],
        ['t3'],
      ]);
      for (const inputs of sent) expect(JSON.stringify(inputs).length).toBeLessThanOrEqual(65_535);
    });

    it('refuses a task that alone cannot fit, naming it and the fix, and sends nothing', async () => {
      const refused = advanceRun(input({ plan: bigPlan(2, 66_000) }));

      await expect(refused).rejects.toThrow(InputError);
      await expect(refused).rejects.toThrow(
        /^task `t0` cannot be dispatched: alone it takes 66\d{3} characters of inputs, more than the 65535 GitHub accepts for all inputs together \(its prompt has 66000 characters\)/,
      );
      await expect(refused).rejects.toMatchObject({
        problems: ["shorten task `t0`'s prompt or split it into smaller tasks"],
      });
    });
  });
});
