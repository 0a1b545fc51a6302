import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOrchestratorMemory } from '../../core/orchestrate/orchestrator-memory.ts';
import { type StatusTarget, upsertStatusText } from '../../core/orchestrate/status-comment.ts';
import { API, commentResponse, testOctokit } from '../github/github-api.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';

const RUN = '7-0123abcd';
const MARKER = `<!-- claude-cluster:status ${RUN} -->`;
const COMMENTS = '/repos/o/r/issues/7/comments';
const INTERVAL = 1_000;

function target(clock: FakeClock = createFakeClock()): StatusTarget {
  return {
    clock,
    octokit: testOctokit(),
    repo: { owner: 'o', repo: 'r' },
    issueNumber: 7,
    runId: RUN,
    trustedAuthors: ['claude-cluster[bot]'],
    known: createOrchestratorMemory().statusComments,
    editIntervalMs: INTERVAL,
  };
}

/** Records the bodies of the edits of comment `id`; `answered` settles once `count` edits were answered. */
function recordEdits(id: number, count: number): { bodies: string[]; answered: Promise<void> } {
  const bodies: string[] = [];
  let done: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => {
    done = resolve;
  });
  nock(API)
    .patch(`/repos/o/r/issues/comments/${id}`, (body) => {
      if (typeof body?.body === 'string') bodies.push(body.body);
      return true;
    })
    .times(count)
    .reply(() => {
      if (bodies.length >= count) done();
      return [200, commentResponse({ id, body: '', login: 'claude-cluster[bot]' })];
    });
  return { bodies, answered };
}

describe('upsertStatusText', () => {
  describe('for a run created just now', () => {
    it('creates the status comment without looking for one', async () => {
      let created = '';
      nock(API)
        .post(COMMENTS, (body) => {
          created = body?.body ?? created;
          return true;
        })
        .reply(201, commentResponse({ id: 5, body: '', login: 'claude-cluster[bot]' }));

      await upsertStatusText(target(), 'Run started.', { fresh: true });

      expect(created).toBe(`${MARKER}\nRun started.`);
    });
  });

  describe('for a run this process has not seen', () => {
    it('edits the comment carrying the run’s marker by a trusted author, not one by anybody else', async () => {
      nock(API)
        .get(COMMENTS)
        .query(true)
        .reply(200, [
          commentResponse({ id: 3, body: `${MARKER}\nforged`, login: 'mallory', type: 'User' }),
          commentResponse({ id: 4, body: `${MARKER}\nold`, login: 'claude-cluster[bot]' }),
        ]);
      const edits = recordEdits(4, 1).bodies;

      await upsertStatusText(target(), 'new');

      expect(edits).toEqual([`${MARKER}\nnew`]);
    });
  });

  describe('when edits come faster than one per interval', () => {
    it('holds them and sends only the latest when the interval ends', async () => {
      const clock = createFakeClock();
      const status = target(clock);
      nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 6, body: '', login: 'claude-cluster[bot]' }));
      await upsertStatusText(status, 'one', { fresh: true });
      const edits = recordEdits(6, 1);

      await upsertStatusText(status, 'two');
      await upsertStatusText(status, 'three');
      await clock.advance(INTERVAL - 1);
      expect(edits.bodies).toEqual([]);
      expect(clock.pendingSleeps()).toBe(1);
      await clock.advance(1);
      await edits.answered;

      expect(edits.bodies).toEqual([`${MARKER}\nthree`]);
    });

    it('sends a final one at once, dropping the held one', async () => {
      const clock = createFakeClock();
      const status = target(clock);
      nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 8, body: '', login: 'claude-cluster[bot]' }));
      await upsertStatusText(status, 'one', { fresh: true });
      const edits = recordEdits(8, 2);

      await upsertStatusText(status, 'two');
      await upsertStatusText(status, 'done', { final: true });
      expect(clock.pendingSleeps()).toBe(0);
      await clock.advance(INTERVAL);

      expect(edits.bodies).toEqual([`${MARKER}\ndone`]);
      // The second edit it allows was the held one's: it must never come.
      nock.cleanAll();
    });
  });

  describe('when nothing changed', () => {
    it('sends nothing', async () => {
      const status = target();
      nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 9, body: '', login: 'claude-cluster[bot]' }));
      await upsertStatusText(status, 'same', { fresh: true });

      await upsertStatusText(status, 'same', { final: true });

      expect(nock.pendingMocks()).toEqual([]);
    });
  });
});
