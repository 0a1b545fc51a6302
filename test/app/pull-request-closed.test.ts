import { describe, expect, it } from 'vitest';
import { createAppHarness, examplePayload } from './app-harness.ts';
import { mockConfig } from './github-mocks.ts';

/** The `pull_request.closed` example with head branch `ref` in `headRepo`. */
function closedPayload(ref: string, headRepo = 'Codertocat/Hello-World', merged = true) {
  const payload = examplePayload('pull_request', 'closed');
  const head = {
    ...payload.pull_request.head,
    ref,
    repo: { ...payload.pull_request.head.repo, full_name: headRepo },
  };
  return { ...payload, pull_request: { ...payload.pull_request, merged, head } };
}

describe('pull_request.closed', () => {
  describe('of a run’s pull request', () => {
    it.each([
      ['merged', true],
      ['closed unmerged', false],
    ])('cleans up the run when %s, saying whether it was merged', async (_case, merged) => {
      const app = await createAppHarness();
      mockConfig('');

      await app.receive('pull_request', closedPayload('cluster/issue-42/integration', undefined, merged));

      expect(app.fake.calls).toMatchObject([
        {
          operation: 'cleanupRun',
          request: { integrationBranch: 'cluster/issue-42/integration', merged },
          context: { owner: 'Codertocat', repo: 'Hello-World' },
        },
      ]);
    });

    it('follows the configured branch prefix', async () => {
      const app = await createAppHarness({ appSlug: 'claude-cluster', configMaxAgeMs: 0 });
      mockConfig('branch_prefix: bots/cluster\n');
      await app.receive('pull_request', closedPayload('bots/cluster/r1/integration'));
      mockConfig('branch_prefix: bots/cluster\n');
      await app.receive('pull_request', closedPayload('cluster/r1/integration'));

      expect(app.fake.calls.map((call) => call.request)).toEqual([
        { integrationBranch: 'bots/cluster/r1/integration', merged: true },
      ]);
    });
  });

  describe('from a fork with a branch of the same name', () => {
    it('deletes nothing and makes no API call', async () => {
      const app = await createAppHarness();

      await app.receive('pull_request', closedPayload('cluster/issue-42/integration', 'mallory/Hello-World'));

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('of any other branch', () => {
    it('makes no API call', async () => {
      const app = await createAppHarness();

      await app.receive('pull_request', closedPayload('changes'));

      expect(app.fake.calls).toEqual([]);
    });
  });
});
