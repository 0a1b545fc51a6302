import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOctokit, type OctokitLog } from '../../action/create-octokit.ts';
import { EnvironmentError } from '../../core/errors/errors.ts';
import { requestStatus } from '../../core/github/octokit-types.ts';
import { API, issueResponse } from '../github/github-api.ts';

/** A log like `@actions/core`'s, keeping what it was given. */
function recordingLog(): OctokitLog & { warnings: string[]; debugs: string[] } {
  const warnings: string[] = [];
  const debugs: string[] = [];
  return {
    warnings,
    debugs,
    debug: (message) => void debugs.push(message),
    warning: (message) => void warnings.push(message),
  };
}

const secondaryLimit = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
};

describe('createOctokit', () => {
  describe('with retry and throttling disabled (tests)', () => {
    it('sends the token and the claude-cluster user agent, and fails a 403 at once', async () => {
      nock(API, { reqheaders: { authorization: 'token test-token', 'user-agent': /^claude-cluster / } })
        .get('/repos/o/r/issues/1')
        .reply(403, secondaryLimit, { 'retry-after': '1' });
      const log = recordingLog();
      const octokit = createOctokit({ token: 'test-token', retry: false, throttle: false, log });
      const error = await octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 }).catch((e) => e);
      expect(requestStatus(error)).toBe(403);
      // The caller reports the failure; the client's own line stays in the debug log, not an error annotation.
      expect(log.debugs).toContainEqual(expect.stringMatching(/^GET \/repos\/o\/r\/issues\/1 - 403 /));
      expect(log.warnings).toEqual([]);
    });
  });

  describe('with throttling enabled', () => {
    it('retries a 403 secondary rate limit after the retry-after seconds', async () => {
      nock(API)
        .get('/repos/o/r/issues/1')
        .reply(403, secondaryLimit, { 'retry-after': '1' })
        .get('/repos/o/r/issues/1')
        .reply(200, issueResponse({ number: 1 }));
      const log = recordingLog();
      const octokit = createOctokit({ token: 'test-token', retry: false, log });
      const started = Date.now();
      const { data } = await octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 });
      expect(data.number).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(log.warnings).toEqual([
        'GitHub secondary rate limit for GET /repos/{owner}/{repo}/issues/{issue_number}; retrying in 1 s (retry 1 of 3)',
      ]);
    });

    it('gives up at once when retry-after is longer than it may wait', async () => {
      nock(API).get('/repos/o/r/issues/1').reply(403, secondaryLimit, { 'retry-after': '3600' });
      const log = recordingLog();
      const octokit = createOctokit({ token: 'test-token', retry: false, log, maxRetryAfterSeconds: 60 });
      const error = await octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 }).catch((e) => e);
      expect(requestStatus(error)).toBe(403);
      expect(log.warnings[0]).toMatch(/secondary rate limit .*; giving up$/);
    });
  });

  describe('with retry enabled', () => {
    it('retries a server error', async () => {
      nock(API)
        .get('/repos/o/r/issues/1')
        .reply(502, { message: 'Bad gateway' })
        .get('/repos/o/r/issues/1')
        .reply(200, issueResponse({ number: 1 }));
      const octokit = createOctokit({ token: 'test-token', throttle: false, log: recordingLog() });
      const { data } = await octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 });
      expect(data.number).toBe(1);
    });
  });

  describe('with a GitHub Enterprise Server API root', () => {
    it('sends requests there', async () => {
      nock('https://ghe.example.com')
        .get('/api/v3/repos/o/r/issues/1')
        .reply(200, issueResponse({ number: 1 }));
      const octokit = createOctokit({
        token: 'test-token',
        baseUrl: 'https://ghe.example.com/api/v3/',
        retry: false,
        throttle: false,
        log: recordingLog(),
      });
      const { data } = await octokit.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 });
      expect(data.number).toBe(1);
    });
  });

  describe('with an empty token', () => {
    it('refuses with an EnvironmentError naming the github-token input', () => {
      expect(() => createOctokit({ token: '  ' })).toThrow(EnvironmentError);
      expect(() => createOctokit({ token: '' })).toThrow(/the `github-token` input is empty/);
    });
  });
});
