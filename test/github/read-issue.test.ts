import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';
import { readIssue } from '../../core/github/read-issue.ts';
import { API, issueResponse, mockGetIssue, testOctokit } from './github-api.ts';

const ref = { owner: 'Codertocat', repo: 'Hello-World', issueNumber: 1 };

describe('readIssue', () => {
  describe('for an issue with a body and labels', () => {
    it("returns its current title, body, label names and author from GitHub's answer", async () => {
      mockGetIssue('Codertocat', 'Hello-World', issueResponse({ body: 'Current body' }));
      expect(await readIssue(testOctokit(), ref)).toEqual({
        number: 1,
        title: 'Spelling error in the README file',
        body: 'Current body',
        labels: ['bug'],
        author: { login: 'Codertocat', type: 'User' },
        state: 'open',
        url: 'https://github.com/Codertocat/Hello-World/issues/1',
        isPullRequest: false,
      });
    });
  });

  describe('for an issue without a body, whose author was deleted', () => {
    it('returns an empty body and no author', async () => {
      mockGetIssue('Codertocat', 'Hello-World', { ...issueResponse({ body: null }), user: null });
      const issue = await readIssue(testOctokit(), ref);
      expect(issue.body).toBe('');
      expect(issue.author).toBeUndefined();
    });
  });

  describe('for a pull request number', () => {
    it('says it is a pull request', async () => {
      mockGetIssue('Codertocat', 'Hello-World', {
        ...issueResponse(),
        pull_request: { url: `${API}/repos/Codertocat/Hello-World/pulls/1` },
      });
      expect((await readIssue(testOctokit(), ref)).isPullRequest).toBe(true);
    });
  });

  describe('for a missing issue', () => {
    it('throws an InputError naming the issue and the input to check', async () => {
      nock(API).get('/repos/Codertocat/Hello-World/issues/1').reply(404, { message: 'Not Found' });
      const error = await readIssue(testOctokit(), ref).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(
        'issue #1 of Codertocat/Hello-World was not found (HTTP 404)\n  - check the `issue-number` input (or the event) and that issues are enabled in the repository',
      );
    });
  });

  describe('with a token that may not read issues', () => {
    it('throws an EnvironmentError naming the permission', async () => {
      nock(API)
        .get('/repos/Codertocat/Hello-World/issues/1')
        .reply(403, { message: 'Resource not accessible by integration' });
      const error = await readIssue(testOctokit(), ref).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as Error).message).toContain('give the workflow `issues: read` permission');
    });
  });

  describe('with an answer that lacks a field relied on', () => {
    it('throws an InputError naming the field', async () => {
      const { title: _dropped, ...withoutTitle } = issueResponse();
      mockGetIssue('Codertocat', 'Hello-World', withoutTitle);
      const error = await readIssue(testOctokit(), ref).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([expect.stringContaining('`title`')]);
    });
  });

  describe('on a server error', () => {
    it('passes the request error through', async () => {
      nock(API).get('/repos/Codertocat/Hello-World/issues/1').reply(500, { message: 'boom' });
      await expect(readIssue(testOctokit(), ref)).rejects.toMatchObject({ status: 500 });
    });
  });
});
