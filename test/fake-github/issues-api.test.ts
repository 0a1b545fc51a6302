import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeFixture, fakeOctokit, startFakeFixture, statusOf } from './fake-github-fixture.ts';

let f: FakeFixture;
const where = { owner: 'octo', repo: 'widgets' };
const CONFIG = 'label: go\nmax_parallel: 2\n';
beforeEach(async () => {
  f = await startFakeFixture({
    files: { 'README.md': '# widgets\n', '.github/claude-cluster.yml': CONFIG },
    collaborators: { maria: 'maintain', tess: 'triage' },
  });
  f.fake.createIssue('octo/widgets', { title: 'Add a greeting', body: 'Please.', user: 'maria' });
});
afterEach(() => f.close());

describe('the fake GitHub issues API', () => {
  it('serves an issue and applies edits to title, state and labels', async () => {
    const { data } = await f.octokit.rest.issues.get({ ...where, issue_number: 1 });
    expect(data).toMatchObject({
      number: 1,
      title: 'Add a greeting',
      body: 'Please.',
      state: 'open',
      user: { login: 'maria', type: 'User' },
    });
    await f.octokit.rest.issues.update({
      ...where,
      issue_number: 1,
      title: 'Greet',
      state: 'closed',
      labels: ['cluster'],
    });
    const after = await f.octokit.rest.issues.get({ ...where, issue_number: 1 });
    expect(after.data).toMatchObject({ title: 'Greet', state: 'closed', state_reason: 'completed' });
    expect(after.data.labels.map((label) => (typeof label === 'string' ? label : label.name))).toEqual([
      'cluster',
    ]);
  });

  it('answers 404 with GitHub’s error body for a missing issue', async () => {
    expect(await statusOf(f.octokit.rest.issues.get({ ...where, issue_number: 99 }))).toEqual({
      status: 404,
      message: 'Not Found',
    });
  });

  describe('comments', () => {
    it('pages 65 comments 30 at a time with Link headers, and Octokit’s paginate reads them all in order', async () => {
      for (let index = 1; index <= 65; index++) {
        await f.octokit.rest.issues.createComment({ ...where, issue_number: 1, body: `comment ${index}` });
      }
      const first = await f.octokit.rest.issues.listComments({ ...where, issue_number: 1 });
      expect(first.data).toHaveLength(30);
      expect(first.headers.link).toContain('page=2>; rel="next"');
      expect(first.headers.link).toContain('page=3>; rel="last"');
      const all = await f.octokit.paginate(f.octokit.rest.issues.listComments, {
        ...where,
        issue_number: 1,
        per_page: 30,
      });
      expect(all.map((comment) => comment.body)).toEqual(
        Array.from({ length: 65 }, (_, i) => `comment ${i + 1}`),
      );
    });

    it('records the author of each token: the App’s bot for an installation token, the user for a personal one', async () => {
      await f.octokit.rest.issues.createComment({ ...where, issue_number: 1, body: 'from the App' });
      await fakeOctokit(f.fake, f.fake.userToken('maria')).rest.issues.createComment({
        ...where,
        issue_number: 1,
        body: 'from maria',
      });
      const { data } = await f.octokit.rest.issues.listComments({ ...where, issue_number: 1 });
      expect(
        data.map((comment) => [comment.user?.login, comment.user?.type, comment.author_association]),
      ).toEqual([
        ['claude-cluster[bot]', 'Bot', 'NONE'],
        ['maria', 'User', 'COLLABORATOR'],
      ]);
    });

    it('edits, reacts to and deletes a comment', async () => {
      const { data: created } = await f.octokit.rest.issues.createComment({
        ...where,
        issue_number: 1,
        body: 'v1',
      });
      await f.octokit.rest.issues.updateComment({ ...where, comment_id: created.id, body: 'v2' });
      expect((await f.octokit.rest.issues.getComment({ ...where, comment_id: created.id })).data.body).toBe(
        'v2',
      );
      const reaction = await f.octokit.rest.reactions.createForIssueComment({
        ...where,
        comment_id: created.id,
        content: 'eyes',
      });
      expect(reaction.status).toBe(201);
      expect(f.fake.state.comments.get(created.id)?.reactions).toEqual([
        { content: 'eyes', user: 'claude-cluster[bot]' },
      ]);
      expect((await f.octokit.rest.issues.deleteComment({ ...where, comment_id: created.id })).status).toBe(
        204,
      );
      expect(
        (await statusOf(f.octokit.rest.issues.getComment({ ...where, comment_id: created.id }))).status,
      ).toBe(404);
    });

    it('refuses a body over 65,536 characters with 422', async () => {
      const refused = await statusOf(
        f.octokit.rest.issues.createComment({ ...where, issue_number: 1, body: 'x'.repeat(65_537) }),
      );
      expect(refused.status).toBe(422);
    });
  });

  describe('collaborator permission', () => {
    it('reports the role and the legacy permission level of each sender', async () => {
      const permission = async (username: string) =>
        (await f.octokit.rest.repos.getCollaboratorPermissionLevel({ ...where, username })).data;
      expect(await permission('maria')).toMatchObject({ permission: 'write', role_name: 'maintain' });
      expect(await permission('tess')).toMatchObject({ permission: 'read', role_name: 'triage' });
      expect(await permission('octo')).toMatchObject({ permission: 'admin', role_name: 'admin' });
      expect(await permission('stranger')).toMatchObject({ permission: 'none', user: { login: 'stranger' } });
    });
  });

  describe('contents', () => {
    it('serves a file base64-encoded, as read from the default branch', async () => {
      const { data } = await f.octokit.rest.repos.getContent({
        ...where,
        path: '.github/claude-cluster.yml',
      });
      if (Array.isArray(data) || data.type !== 'file') throw new Error('expected a file');
      expect(data).toMatchObject({
        type: 'file',
        encoding: 'base64',
        path: '.github/claude-cluster.yml',
        size: CONFIG.length,
      });
      expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(CONFIG);
    });

    it('serves the raw text for the raw media type, as Probot’s context.config() asks, at any ref', async () => {
      await f.fake.pushFiles(
        'octo/widgets',
        'next',
        { '.github/claude-cluster.yml': 'label: next\n' },
        { from: 'main' },
      );
      const raw = await f.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        ...where,
        path: '.github/claude-cluster.yml',
        ref: 'next',
        mediaType: { format: 'raw' },
      });
      expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(raw.data).toBe('label: next\n');
    });

    it('answers 404 for a missing file, which Probot reads as "no config"', async () => {
      expect(
        (await statusOf(f.octokit.rest.repos.getContent({ ...where, path: '.github/nope.yml' }))).status,
      ).toBe(404);
    });
  });

  describe('credentials', () => {
    it('refuses requests without a token or with one it never issued', async () => {
      expect(await statusOf(fakeOctokit(f.fake, '').rest.issues.get({ ...where, issue_number: 1 }))).toEqual({
        status: 401,
        message: 'Requires authentication',
      });
      expect(
        await statusOf(fakeOctokit(f.fake, 'ghs_forged').rest.issues.get({ ...where, issue_number: 1 })),
      ).toEqual({
        status: 401,
        message: 'Bad credentials',
      });
    });

    it('serves /app and installation tokens only to a JWT', async () => {
      const jwt = fakeOctokit(f.fake, 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl');
      expect((await jwt.rest.apps.getAuthenticated()).data).toMatchObject({ id: 1, slug: 'claude-cluster' });
      const { data } = await jwt.rest.apps.createInstallationAccessToken({ installation_id: 7 });
      const issue = await fakeOctokit(f.fake, data.token).rest.issues.get({ ...where, issue_number: 1 });
      expect(issue.data.number).toBe(1);
      expect((await jwt.rest.apps.getRepoInstallation(where)).data).toMatchObject({
        id: 7,
        app_slug: 'claude-cluster',
      });
      expect((await statusOf(f.octokit.rest.apps.getAuthenticated())).status).toBe(401);
    });
  });

  describe('an endpoint the fake does not serve', () => {
    it('answers 404 and records the route, so a test can fail on it', async () => {
      expect((await statusOf(f.octokit.rest.repos.listReleases(where))).status).toBe(404);
      expect(f.fake.unknownRoutes.splice(0)).toEqual(['GET /repos/octo/widgets/releases']);
    });
  });
});

describe('the fake GitHub pulls API', () => {
  it('opens a pull request once, refuses a duplicate, filters by head and closes it', async () => {
    await f.fake.pushFiles('octo/widgets', 'cluster/1/integration', { 'a.txt': 'a\n' }, { from: 'main' });
    const create = () =>
      f.octokit.rest.pulls.create({
        ...where,
        title: 'Run 1',
        head: 'cluster/1/integration',
        base: 'main',
        body: 'Closes #1',
      });
    const { status, data } = await create();
    expect(status).toBe(201);
    expect(data).toMatchObject({
      number: 2,
      state: 'open',
      head: { ref: 'cluster/1/integration' },
      base: { ref: 'main' },
      user: { login: 'claude-cluster[bot]' },
    });
    const duplicate = await statusOf(create());
    expect(duplicate).toMatchObject({ status: 422, message: 'Validation Failed' });
    const listed = await f.octokit.rest.pulls.list({
      ...where,
      head: 'octo:cluster/1/integration',
      state: 'all',
    });
    expect(listed.data.map((pull) => pull.number)).toEqual([2]);
    expect((await f.octokit.rest.pulls.list({ ...where, head: 'octo:other' })).data).toEqual([]);
    await f.octokit.rest.pulls.update({ ...where, pull_number: 2, state: 'closed' });
    expect((await f.octokit.rest.pulls.get({ ...where, pull_number: 2 })).data).toMatchObject({
      state: 'closed',
      merged: false,
    });
    expect((await f.octokit.rest.issues.get({ ...where, issue_number: 2 })).data.pull_request).toBeDefined();
  });

  it('refuses a pull request without commits between base and head', async () => {
    await f.fake.pushFiles('octo/widgets', 'same', {}, { from: 'main' });
    await f.fake.git('octo/widgets', 'update-ref', 'refs/heads/same', 'main');
    const refused = await statusOf(
      f.octokit.rest.pulls.create({ ...where, title: 't', head: 'same', base: 'main' }),
    );
    expect(refused.status).toBe(422);
  });
});
