import nock from 'nock';
import { API } from '../github/github-api.ts';

/** The repository of the issue, comment and pull request examples. */
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';

const CONFIG_FILE = '.github/claude-cluster.yml';

// Octokit sends the path of `repos/{o}/{r}/contents/{path}` with its slash encoded.
function contentsPath(owner: string, repo: string): RegExp {
  return new RegExp(
    `^/repos/${owner}/${repo.replace('.', '\\.')}/contents/(?:\\.github%2F|\\.github/)claude-cluster\\.yml$`,
  );
}

/** Mocks `.github/claude-cluster.yml` of a repository: the file with `text`, or 404 when `text` is null. */
export function mockConfig(text: string | null, options: { owner?: string; repo?: string } = {}): void {
  const owner = options.owner ?? OWNER;
  const repo = options.repo ?? REPO;
  const scope = nock(API).get(contentsPath(owner, repo));
  if (text === null) scope.reply(404, { message: 'Not Found' });
  else scope.reply(200, fileResponse(text));
}

/** Mocks the org-wide fallback: the repository has no file, the owner's `.github` repository answers. */
export function mockOrgConfig(text: string | null, options: { owner?: string; repo?: string } = {}): void {
  const owner = options.owner ?? OWNER;
  mockConfig(null, options);
  mockConfig(text, { owner, repo: '.github' });
}

/** A file as `GET /repos/{o}/{r}/contents/{path}` answers it. */
export function fileResponse(text: string) {
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(text),
    name: 'claude-cluster.yml',
    path: CONFIG_FILE,
    content: Buffer.from(text).toString('base64').replace(/.{60}/g, '$&\n'),
    sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
  };
}

/**
 * Mocks the permission of `login`: `permission` and `role_name` as GitHub answers them, or 404 (not a
 * collaborator, or no such user) when `permission` is null.
 */
export function mockPermission(
  login: string,
  permission: 'admin' | 'write' | 'read' | 'none' | null,
  roleName?: string,
): void {
  const scope = nock(API).get(
    `/repos/${OWNER}/${REPO}/collaborators/${encodeURIComponent(login)}/permission`,
  );
  if (permission === null) scope.reply(404, { message: 'Not Found' });
  else scope.reply(200, { permission, role_name: roleName ?? permission, user: { login } });
}

/** Mocks comment creation on an issue; returns the bodies posted, in order. */
export function mockReplies(issueNumber: number, count = 1): string[] {
  const bodies: string[] = [];
  nock(API)
    .post(`/repos/${OWNER}/${REPO}/issues/${issueNumber}/comments`, (body: { body: string }) => {
      bodies.push(body.body);
      return true;
    })
    .times(count)
    .reply(201, { id: 1, body: '' });
  return bodies;
}

/** Mocks `GET /repos/{o}/{r}/pulls/{n}` for a pull request whose head is `headRef` in `headRepo` (null: deleted fork). */
export function mockPullRequest(number: number, headRef: string, headRepo: string | null): void {
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/pulls/${number}`)
    .reply(200, {
      number,
      head: { ref: headRef, sha: 'a'.repeat(40), repo: headRepo === null ? null : { full_name: headRepo } },
      base: { ref: 'master', sha: 'b'.repeat(40), repo: { full_name: `${OWNER}/${REPO}` } },
    });
}

/** Mocks `GET /repos/{o}/{r}/actions/runs/{id}` answering with the run-name `displayTitle`. */
export function mockWorkflowRun(owner: string, repo: string, id: number, displayTitle: string): void {
  nock(API).get(`/repos/${owner}/${repo}/actions/runs/${id}`).reply(200, {
    id,
    name: 'claude-cluster',
    display_title: displayTitle,
    path: '.github/workflows/claude-cluster.yml',
  });
}

/** Mocks `GET /app` (authenticated as the App) answering with its slug, once. */
export function mockAppSlug(slug: string): void {
  nock(API)
    .get('/app')
    .reply(200, { id: 1, slug, name: slug, owner: { login: OWNER } });
}
