import { setTimeout as sleep } from 'node:timers/promises';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOrchestratorMemory } from '../../core/orchestrate/orchestrator-memory.ts';
import { type StatusTarget, upsertStatusText } from '../../core/orchestrate/status-comment.ts';
import { API, commentResponse, testOctokit } from '../github/github-api.ts';

const RUN = '7-0123abcd';
const MARKER = `<!-- claude-cluster:status ${RUN} -->`;
const COMMENTS = '/repos/o/r/issues/7/comments';
const INTERVAL = 1_000;

function target(): StatusTarget {
  return {
    octokit: testOctokit(),
    repo: { owner: 'o', repo: 'r' },
    issueNumber: 7,
    runId: RUN,
    trustedAuthors: ['claude-cluster[bot]'],
    known: createOrchestratorMemory().statusComments,
    editIntervalMs: INTERVAL,
  };
}

/** Records the bodies of the edits of comment `id`. */
function recordEdits(id: number, count: number): string[] {
  const bodies: string[] = [];
  nock(API)
    .patch(`/repos/o/r/issues/comments/${id}`, (body) => {
      if (typeof body?.body === 'string') bodies.push(body.body);
      return true;
    })
    .times(count)
    .reply(200, commentResponse({ id, body: '', login: 'claude-cluster[bot]' }));
  return bodies;
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
      const edits = recordEdits(4, 1);

      await upsertStatusText(target(), 'new');

      expect(edits).toEqual([`${MARKER}\nnew`]);
    });
  });

  describe('when edits come faster than one per interval', () => {
    it('holds them and sends only the latest when the interval ends', async () => {
      const status = target();
      nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 6, body: '', login: 'claude-cluster[bot]' }));
      await upsertStatusText(status, 'one', { fresh: true });
      const edits = recordEdits(6, 1);

      await upsertStatusText(status, 'two');
      await upsertStatusText(status, 'three');
      expect(edits).toEqual([]);
      await sleep(INTERVAL + 300);

      expect(edits).toEqual([`${MARKER}\nthree`]);
    });

    it('sends a final one at once, dropping the held one', async () => {
      const status = target();
      nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 8, body: '', login: 'claude-cluster[bot]' }));
      await upsertStatusText(status, 'one', { fresh: true });
      const edits = recordEdits(8, 1);

      await upsertStatusText(status, 'two');
      await upsertStatusText(status, 'done', { final: true });
      await sleep(INTERVAL + 300);

      expect(edits).toEqual([`${MARKER}\ndone`]);
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
