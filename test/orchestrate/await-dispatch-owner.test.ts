import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLedgerMessage, type LedgerEntryInput } from '../../core/integrate/ledger-format.ts';
import { readLedger } from '../../core/integrate/read-ledger.ts';
import { remoteBranchStore } from '../../core/integrate/remote-branch-store.ts';
import { dispatchOwners, formatDispatchRecord } from '../../core/orchestrate/dispatch-record.ts';
import { awaitDispatchOwner } from '../../core/run/await-dispatch-owner.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';

const BRANCH = 'cluster/7-0123abcd/ledger';
const RUN = '7-0123abcd';
const MINE = '1'.repeat(16);
const OTHER = '2'.repeat(16);
let remote: TempRemote | undefined;
afterEach(() => {
  remote?.remove();
  remote = undefined;
});

/** Appends an empty ledger commit to the integration branch of the bare repository (created from main). */
function append(target: TempRemote, entry: LedgerEntryInput): void {
  const exists = target.git('for-each-ref', `refs/heads/${BRANCH}`) !== '';
  const parent = target.git('rev-parse', exists ? BRANCH : 'main');
  const tree = target.git('rev-parse', `${parent}^{tree}`);
  const commit = execFileSync('git', ['commit-tree', tree, '-p', parent, '-F', '-'], {
    cwd: target.bare,
    input: formatLedgerMessage('entry', entry),
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'A',
      GIT_AUTHOR_EMAIL: 'a@x',
      GIT_COMMITTER_NAME: 'A',
      GIT_COMMITTER_EMAIL: 'a@x',
    },
  }).trim();
  target.git('update-ref', `refs/heads/${BRANCH}`, commit);
}

const start: LedgerEntryInput = { event: 'start', run: RUN, base: 'main', baseCommit: 'x', title: 'T' };
const dispatched = (token: string): LedgerEntryInput => ({
  event: 'dispatch',
  run: RUN,
  excerpt: formatDispatchRecord({ token, tasks: [{ id: 'api', attempt: 1 }] }),
});

function check(target: TempRemote, options: { timeoutMs?: number; clock?: FakeClock } = {}) {
  const checkout = target.clone();
  return awaitDispatchOwner({
    store: remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush: () => undefined }),
    ledgerBranch: BRANCH,
    runId: RUN,
    taskId: 'api',
    token: MINE,
    timeoutMs: options.timeoutMs ?? 5_000,
    pollMs: 50,
    clock: options.clock ?? createFakeClock(),
  });
}

/** Wakes every sleep of `clock` until `waiting` settles: the waits pass in no real time. */
async function runOut<T>(clock: FakeClock, waiting: Promise<T>): Promise<T> {
  let settled = false;
  const done = waiting.finally(() => {
    settled = true;
  });
  while (!settled) await Promise.race([clock.wakeNext(), done]);
  return waiting;
}

describe('awaitDispatchOwner', () => {
  describe('when the ledger gives the task to this job’s dispatch', () => {
    it('lets the job work, with the ledger it read', async () => {
      remote = createTempRemote();
      append(remote, start);
      append(remote, dispatched(MINE));
      const verdict = await check(remote);
      expect(verdict.kind).toBe('owner');
      expect(verdict.kind === 'owner' && verdict.ledger.map((record) => record.event)).toEqual([
        'start',
        'dispatch',
      ]);
    });
  });

  describe('when another dispatch recorded the task first', () => {
    it('stands the job down at once, saying another job does the work', async () => {
      remote = createTempRemote();
      append(remote, start);
      append(remote, dispatched(OTHER));
      append(remote, dispatched(MINE));
      expect(await check(remote)).toEqual({
        kind: 'not-owner',
        reason: expect.stringContaining('belongs to another dispatch'),
      });
    });
  });

  describe('when the run was cancelled', () => {
    it('stands the job down', async () => {
      remote = createTempRemote();
      append(remote, start);
      append(remote, dispatched(MINE));
      append(remote, { event: 'cancel', run: RUN, by: 'octocat' });
      expect(await check(remote)).toEqual({ kind: 'not-owner', reason: `run \`${RUN}\` was cancelled` });
    });
  });

  describe('when the dispatch is recorded while the job waits', () => {
    it('lets the job work once the record lands', async () => {
      const target = createTempRemote();
      remote = target;
      append(target, start);
      const clock = createFakeClock();
      const waiting = check(target, { clock });
      await clock.wakeNext();
      await clock.wakeNext();
      append(target, dispatched(MINE));
      expect((await runOut(clock, waiting)).kind).toBe('owner');
    });
  });

  describe('when the dispatch is never recorded (the orchestrator died after sending it)', () => {
    it('voids the dispatch after the wait and stands down, so a record landing later owns nothing', async () => {
      const target = createTempRemote();
      remote = target;
      append(target, start);
      const clock = createFakeClock();
      const began = clock.now();
      const verdict = await runOut(clock, check(target, { timeoutMs: 400, clock }));
      expect(verdict).toEqual({ kind: 'not-owner', reason: expect.stringContaining('was not recorded') });
      expect(clock.now() - began).toBe(400);

      append(target, dispatched(MINE));
      const ledger = await readLedger(target.bare, target.git('rev-parse', BRANCH), RUN);
      expect(ledger.map((record) => record.event)).toEqual(['start', 'expire', 'dispatch']);
      expect(dispatchOwners(ledger).get('api')).toBeUndefined();
    });
  });
});
