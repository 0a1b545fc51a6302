import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config/config-schema.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';
import {
  digestConfig,
  parsePlanRecord,
  type RunRecord,
  renderPlanRecord,
} from '../../core/github/plan-record.ts';
import { findPlanComment, publishPlanComment } from '../../core/github/publish-plan-comment.ts';
import { API, commentResponse, testOctokit } from './github-api.ts';

const COMMENTS = '/repos/o/r/issues/7/comments';

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1,
    runId: 'issue-7-run',
    issueNumber: 7,
    base: 'main',
    plan: { tasks: [{ id: 'db', title: 'Add the schema', prompt: 'Add users.', depends_on: [], files: [] }] },
    configDigest: digestConfig(defaultConfig()),
    createdAt: '2026-11-24T07:47:12.000Z',
    source: 'block',
    ...overrides,
  };
}

const view = { title: 'Add users', perTaskUsd: 5 };
const input = { owner: 'o', repo: 'r', issueNumber: 7, record: record(), view };

/** Body of a record comment for another record. */
function recordBody(subject: RunRecord): string {
  return renderPlanRecord(subject, view);
}

describe('publishPlanComment', () => {
  describe('when the issue has no record comment of the run', () => {
    it('creates one holding the rendered plan and the record', async () => {
      let posted: { body: string } | undefined;
      nock(API).get(COMMENTS).query({ per_page: 100 }).reply(200, []);
      nock(API)
        .post(COMMENTS, (body: { body: string }) => {
          posted = body;
          return true;
        })
        .reply(201, commentResponse({ id: 11, body: '', login: 'github-actions[bot]' }));
      const published = await publishPlanComment(testOctokit(), input);
      expect(published).toEqual({
        commentId: 11,
        url: 'https://github.com/o/r/issues/1#issuecomment-11',
        created: true,
      });
      expect(posted?.body).toBe(renderPlanRecord(record(), view));
      expect(parsePlanRecord(posted?.body ?? '')).toEqual(record());
    });
  });

  describe("when the bot's record comment of the run is on the second page", () => {
    it('updates that comment and creates none', async () => {
      const page2 = `${API}/repositories/1/issues/7/comments?per_page=100&page=2`;
      nock(API)
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [commentResponse({ id: 1, body: 'first!', login: 'someone', type: 'User' })], {
          link: `<${page2}>; rel="next", <${page2}>; rel="last"`,
        });
      nock(API)
        .get('/repositories/1/issues/7/comments')
        .query({ per_page: 100, page: 2 })
        .reply(200, [commentResponse({ id: 2, body: recordBody(record()), login: 'github-actions[bot]' })]);
      let patched: { body: string } | undefined;
      nock(API)
        .patch('/repos/o/r/issues/comments/2', (body: { body: string }) => {
          patched = body;
          return true;
        })
        .reply(200, commentResponse({ id: 2, body: '', login: 'github-actions[bot]' }));
      const updated = record({
        plan: { tasks: [{ id: 'api', title: 'API', prompt: 'p', depends_on: [], files: [] }] },
      });
      const published = await publishPlanComment(testOctokit(), { ...input, record: updated });
      expect(published).toMatchObject({ commentId: 2, created: false });
      expect(parsePlanRecord(patched?.body ?? '')).toEqual(updated);
    });
  });

  describe("when someone else's comment holds a fake record block of the same run", () => {
    it('leaves it alone and creates the real record comment', async () => {
      nock(API)
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [commentResponse({ id: 3, body: recordBody(record()), login: 'mallory', type: 'User' })]);
      const post = nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 12, body: '', login: 'github-actions[bot]' }));
      expect(await publishPlanComment(testOctokit(), input)).toMatchObject({ commentId: 12, created: true });
      expect(post.isDone()).toBe(true);
    });
  });

  describe("when the bot's record comment is of another run", () => {
    it('creates a new comment for this run', async () => {
      nock(API)
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [
          commentResponse({
            id: 4,
            body: recordBody(record({ runId: 'older' })),
            login: 'github-actions[bot]',
          }),
        ]);
      nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 13, body: '', login: 'github-actions[bot]' }));
      expect(await publishPlanComment(testOctokit(), input)).toMatchObject({ commentId: 13, created: true });
    });
  });

  describe('with the login of an App', () => {
    it("updates the App's comment, whatever the case of its login", async () => {
      nock(API)
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [
          commentResponse({ id: 5, body: recordBody(record()), login: 'github-actions[bot]' }),
          commentResponse({ id: 6, body: recordBody(record()), login: 'Claude-Cluster[bot]' }),
        ]);
      nock(API)
        .patch('/repos/o/r/issues/comments/6')
        .reply(200, commentResponse({ id: 6, body: '', login: 'x' }));
      const published = await publishPlanComment(testOctokit(), {
        ...input,
        botLogin: 'claude-cluster[bot]',
      });
      expect(published).toMatchObject({ commentId: 6, created: false });
    });
  });

  describe('when the record comment is deleted before the update', () => {
    it('creates it anew', async () => {
      nock(API)
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [commentResponse({ id: 8, body: recordBody(record()), login: 'github-actions[bot]' })]);
      nock(API).patch('/repos/o/r/issues/comments/8').reply(404, { message: 'Not Found' });
      nock(API)
        .post(COMMENTS)
        .reply(201, commentResponse({ id: 14, body: '', login: 'github-actions[bot]' }));
      expect(await publishPlanComment(testOctokit(), input)).toMatchObject({ commentId: 14, created: true });
    });
  });

  describe('with a token that may not comment', () => {
    it('throws an EnvironmentError naming the permission', async () => {
      nock(API).get(COMMENTS).query({ per_page: 100 }).reply(200, []);
      nock(API).post(COMMENTS).reply(403, { message: 'Resource not accessible by integration' });
      const error = await publishPlanComment(testOctokit(), input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as Error).message).toBe(
        'the GitHub token may not comment on issue #7 of o/r (HTTP 403); give the workflow `issues: write` permission or pass a `github-token` that can comment',
      );
    });
  });

  describe('with a plan too large for a comment', () => {
    it('throws the InputError before any request', async () => {
      const tasks = [{ id: 'big', title: 'Big', prompt: 'x'.repeat(70_000), depends_on: [], files: [] }];
      // No mock is set: a request would fail with a network error instead of the InputError.
      const error = await publishPlanComment(testOctokit(), {
        ...input,
        record: record({ plan: { tasks } }),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/too large to record in one GitHub comment/);
    });
  });
});

describe('findPlanComment', () => {
  describe('without a run id', () => {
    it("returns the newest record the bot wrote on the issue, ignoring other authors' blocks", async () => {
      nock(API)
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [
          commentResponse({
            id: 1,
            body: recordBody(record({ runId: 'first' })),
            login: 'github-actions[bot]',
          }),
          commentResponse({
            id: 2,
            body: recordBody(record({ runId: 'second' })),
            login: 'github-actions[bot]',
          }),
          commentResponse({
            id: 3,
            body: recordBody(record({ runId: 'fake' })),
            login: 'mallory',
            type: 'User',
          }),
          commentResponse({ id: 4, body: 'thanks', login: 'github-actions[bot]' }),
        ]);
      const found = await findPlanComment(testOctokit(), { owner: 'o', repo: 'r', issueNumber: 7 });
      expect(found?.commentId).toBe(2);
      expect(found?.record.runId).toBe('second');
    });
  });

  describe('with a record that names another issue', () => {
    it('ignores it', async () => {
      nock(API)
        .get(COMMENTS)
        .query({ per_page: 100 })
        .reply(200, [
          commentResponse({
            id: 1,
            body: recordBody(record({ issueNumber: 8 })),
            login: 'github-actions[bot]',
          }),
        ]);
      const found = await findPlanComment(testOctokit(), { owner: 'o', repo: 'r', issueNumber: 7 });
      expect(found).toBeUndefined();
    });
  });
});
