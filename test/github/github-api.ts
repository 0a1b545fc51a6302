import nock from 'nock';
import { createOctokit } from '../../action/create-octokit.ts';
import type { Octokit } from '../../core/github/octokit-types.ts';
import { webhookExample } from './webhook-examples.ts';

/** The API root every mock answers on. */
export const API = 'https://api.github.com';

const silent = { debug: () => {}, warning: () => {} };

/** The action's Octokit with retry and throttling off, so a failing mock fails at once, and no request log. */
export function testOctokit(): Octokit {
  return createOctokit({ token: 'test-token', retry: false, throttle: false, log: silent });
}

/** The issue object of a real `issues.labeled` payload, as `GET /repos/{o}/{r}/issues/{n}` answers it. */
export function issueResponse(overrides: { number?: number; title?: string; body?: string | null } = {}) {
  const { issue } = webhookExample('issues', 'labeled');
  return { ...issue, ...overrides };
}

/** Mocks `GET /repos/{owner}/{repo}/issues/{number}`. */
export function mockGetIssue(
  owner: string,
  repo: string,
  issue: { number: number } & Record<string, unknown>,
) {
  return nock(API).get(`/repos/${owner}/${repo}/issues/${issue.number}`).reply(200, issue);
}

/** A comment as `GET /repos/{o}/{r}/issues/{n}/comments` lists it. */
export function commentResponse(input: { id: number; body: string; login: string; type?: string }) {
  return {
    id: input.id,
    node_id: `IC_${input.id}`,
    url: `${API}/repos/o/r/issues/comments/${input.id}`,
    html_url: `https://github.com/o/r/issues/1#issuecomment-${input.id}`,
    body: input.body,
    user: { login: input.login, id: input.id + 1000, type: input.type ?? 'Bot' },
    created_at: '2026-11-24T07:00:00Z',
    updated_at: '2026-11-24T07:00:00Z',
    author_association: 'NONE',
  };
}
