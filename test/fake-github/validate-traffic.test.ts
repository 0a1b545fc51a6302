import { describe, expect, it } from 'vitest';
import { startFakeFixture } from './fake-github-fixture.ts';
import { TrafficValidator } from './validate-traffic.ts';

const PARAMS = { owner: 'octo', repo: 'widgets' };
const NO_QUERY = new URLSearchParams();

describe('the fake GitHub’s traffic validation against GitHub’s published descriptions', () => {
  it('reports a request to an operation outside the subset, with the fix', () => {
    const validator = new TrafficValidator();
    validator.checkRequest({
      method: 'POST',
      template: '/repos/{owner}/{repo}/forks',
      params: PARAMS,
      query: NO_QUERY,
      body: undefined,
    });
    expect(validator.violations).toHaveLength(1);
    expect(validator.violations[0]).toContain('request POST /repos/{owner}/{repo}/forks');
    expect(validator.violations[0]).toContain('test/github-spec/used-operations.ts');
  });

  it('reports query parameters the operation does not take or that break their schema, and a bad body', () => {
    const validator = new TrafficValidator();
    validator.checkRequest({
      method: 'GET',
      template: '/repos/{owner}/{repo}/pulls',
      params: PARAMS,
      query: new URLSearchParams({ state: 'merged', colour: 'red', per_page: '100' }),
      body: undefined,
    });
    validator.checkRequest({
      method: 'POST',
      template: '/repos/{owner}/{repo}/git/refs',
      params: PARAMS,
      query: NO_QUERY,
      body: { ref: 'refs/heads/x', sha: 42 },
    });
    expect(validator.violations).toHaveLength(2);
    expect(validator.violations[0]).toContain('has `colour`');
    expect(validator.violations[0]).toContain('/state: must be equal to one of the allowed values');
    expect(validator.violations[0]).not.toContain('per_page');
    expect(validator.violations[1]).toContain('body /sha: must be string');
  });

  it('reports a response that lacks a documented field or carries one GitHub does not send', () => {
    const validator = new TrafficValidator();
    validator.checkResponse({
      method: 'GET',
      template: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
      status: 200,
      body: [
        {
          ref: 'refs/heads/main',
          url: 'https://api.github.com/repos/octo/widgets/git/refs/heads/main',
          object: { type: 'commit', sha: 'a'.repeat(40), url: 'https://api.github.com/x' },
          merged: true,
        },
      ],
    });
    expect(validator.violations).toEqual([
      'response 200 to GET /repos/{owner}/{repo}/git/matching-refs/{ref}\n' +
        '  /0: has `merged`, which the description does not list\n' +
        '  /0: lacks `node_id`',
    ]);
  });

  it('accepts the `status` GitHub adds to error bodies (a documented gap), and nothing else undocumented', () => {
    const validator = new TrafficValidator();
    const error = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
    const check = (body: object) =>
      validator.checkResponse({
        method: 'GET',
        template: '/repos/{owner}/{repo}/issues/{issue_number}',
        status: 404,
        body,
      });
    check(error);
    expect(validator.violations).toEqual([]);
    check({ ...error, hint: 'try again' });
    expect(validator.violations).toHaveLength(1);
    expect(validator.violations[0]).toContain('has `hint`');
  });

  it('reports a webhook outside the subset and one lacking what its event carries', () => {
    const validator = new TrafficValidator();
    validator.checkWebhook('star', { action: 'created' });
    validator.checkWebhook('issues', { action: 'labeled' });
    expect(validator.violations).toHaveLength(2);
    expect(validator.violations[0]).toContain('webhook star.created');
    expect(validator.violations[0]).toContain('is not a webhook of test/github-spec/webhooks-subset.json');
    expect(validator.violations[1]).toContain('webhook issues.labeled');
    expect(validator.violations[1]).toContain('(root): lacks `issue`');
  });

  it('finds nothing wrong with what the fake sends for issues, comments and their webhooks', async () => {
    const f = await startFakeFixture({ collaborators: { octocat: 'write' } });
    try {
      const issue = f.fake.createIssue('octo/widgets', { title: 'Greet', body: 'Please.' });
      await f.fake.labelIssue('octo/widgets', issue.number, 'cluster');
      await f.fake.comment('octo/widgets', issue.number, '/cluster approve');
      await f.octokit.rest.issues.get({ ...PARAMS, issue_number: issue.number });
      await f.octokit.rest.issues.createComment({ ...PARAMS, issue_number: issue.number, body: 'Planned.' });
      await f.octokit.rest.issues.listComments({ ...PARAMS, issue_number: issue.number });
      expect(f.fake.deliveries.map((delivery) => `${delivery.event}.${delivery.action}`)).toEqual([
        'issues.labeled',
        'issue_comment.created',
      ]);
      expect(f.fake.specViolations).toEqual([]);
    } finally {
      await f.close();
    }
  });
});
