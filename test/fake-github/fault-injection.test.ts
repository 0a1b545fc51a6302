import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeFixture, startFakeFixture, statusOf } from './fake-github-fixture.ts';

const run = promisify(execFile);
let f: FakeFixture;
const where = { owner: 'octo', repo: 'widgets', issue_number: 1 };
beforeEach(async () => {
  f = await startFakeFixture();
  f.fake.createIssue('octo/widgets', { title: 'Greet' });
});
afterEach(() => f.close());

const bodies = () => f.fake.state.issueComments('octo/widgets', 1).map((comment) => comment.body);
const comment = (body: string) => f.octokit.rest.issues.createComment({ ...where, body });

/** The HTTP error a request failed with (status, headers, GitHub's body). */
async function failureOf(request: Promise<unknown>) {
  const error = await request.then(
    () => new Error('the request succeeded; a failure was expected'),
    (failure: unknown) => failure,
  );
  return error as {
    status: number;
    response: { headers: Record<string, string>; data: { message: string } };
  };
}

describe('failure injection in the fake GitHub', () => {
  it('answers the n-th REST request from now with 500 and leaves the state unchanged', async () => {
    f.fake.failNthRequest(2, 'status500');
    await comment('one');
    expect((await statusOf(comment('two'))).status).toBe(500);
    await comment('three');
    expect(bodies()).toEqual(['one', 'three']);
    expect(f.fake.injectedFaults).toEqual([
      { request: 'POST /repos/octo/widgets/issues/1/comments', kind: 'status500' },
    ]);
  });

  it('answers a chosen request with a secondary rate limit (403, retry-after) or 429, and changes nothing', async () => {
    f.fake.failNthRequest(1, 'secondaryRateLimit');
    f.fake.failNthRequest(2, 'tooManyRequests');
    const limited = await failureOf(f.octokit.rest.issues.createComment({ ...where, body: 'one' }));
    expect(limited.status).toBe(403);
    expect(limited.response.headers['retry-after']).toBe('1');
    expect(limited.response.data.message).toMatch(/^You have exceeded a secondary rate limit/);
    const tooMany = await failureOf(f.octokit.rest.issues.createComment({ ...where, body: 'two' }));
    expect(tooMany.status).toBe(429);
    expect(tooMany.response.headers['retry-after']).toBe('1');
    await comment('three');
    expect(bodies()).toEqual(['three']);
  });

  it('drops the connection before doing anything', async () => {
    f.fake.failNthRequest(1, 'dropConnection');
    const dropped = await statusOf(comment('lost'));
    expect(dropped.status).toBe(500);
    expect(dropped.message).toMatch(/fetch failed|other side closed|socket/i);
    expect(bodies()).toEqual([]);
  });

  it('can drop the connection after the change is made, so the client cannot tell it happened', async () => {
    f.fake.failNthRequest(1, 'dropAfterApply');
    expect((await statusOf(comment('applied'))).status).toBe(500);
    expect(bodies()).toEqual(['applied']);
  });

  it('counts REST requests per route, and not git over HTTP', async () => {
    f.fake.resetApiCallCount();
    await f.octokit.rest.issues.get(where);
    await f.octokit.rest.issues.get(where);
    await comment('x');
    const workspace = await mkdtemp(join(tmpdir(), 'fake-github-clone-'));
    try {
      const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${f.fake.installationToken()}`).toString('base64')}`;
      await run('git', [
        '-c',
        `http.extraheader=${header}`,
        'clone',
        '--quiet',
        f.fake.cloneUrl('octo/widgets'),
        workspace,
      ]);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
    expect(f.fake.apiCallCount()).toEqual({
      total: 3,
      sequence: [
        'GET /repos/{owner}/{repo}/issues/{issue_number}',
        'GET /repos/{owner}/{repo}/issues/{issue_number}',
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      ],
      byRoute: {
        'GET /repos/{owner}/{repo}/issues/{issue_number}': 2,
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': 1,
      },
      byCaller: {
        installation: {
          total: 3,
          byRoute: {
            'GET /repos/{owner}/{repo}/issues/{issue_number}': 2,
            'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': 1,
          },
        },
      },
    });
    expect(f.fake.gitRequests.length).toBeGreaterThan(0);
  });
});
