import { describe, expect, it } from 'vitest';
import { APP_LOGIN, createAppHarness } from './app-harness.ts';
import { commentPayload, MAINTAINER, pullRequestCommentPayload } from './comment-payloads.ts';
import {
  mockAppSlug,
  mockConfig,
  mockOrgConfig,
  mockPermission,
  mockPullRequest,
  mockReplies,
  OWNER,
  REPO,
} from './github-mocks.ts';

const APP_SLUG_FOR_LOOKUP = 'cluster-app';

describe('issue_comment.created', () => {
  describe('by a user without write access', () => {
    it.each([
      ['read access', 'read' as const],
      ['no access at all (404)', null],
    ])('with %s: refuses once, politely, and starts nothing', async (_case, permission) => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission('octocat', permission);
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/cluster', { login: 'octocat', type: 'User' }));

      expect(app.fake.calls).toEqual([]);
      expect(replies).toEqual([
        'Thanks, @octocat! Only people with write access to this repository can use `/cluster`: the tasks run with this repository’s secrets. A maintainer can start it for you.',
      ]);
    });
  });

  describe('by a bot', () => {
    it('ignores a bot not in allowed_bots without a word', async () => {
      const app = await createAppHarness();
      mockConfig('allowed_bots: ["renovate[bot]"]\n');

      await app.receive(
        'issue_comment',
        commentPayload('/cluster', { login: 'dependabot[bot]', type: 'Bot' }),
      );

      expect(app.fake.calls).toEqual([]);
    });

    it('accepts a bot listed in allowed_bots', async () => {
      const app = await createAppHarness();
      mockConfig('allowed_bots: ["Renovate[bot]"]\n');

      await app.receive(
        'issue_comment',
        commentPayload('/cluster status', { login: 'renovate[bot]', type: 'Bot' }),
      );

      expect(app.fake.calls).toMatchObject([{ operation: 'showStatus', request: { issueNumber: 1 } }]);
    });
  });

  describe('by the App itself', () => {
    it('ignores its own comment without any API call', async () => {
      const app = await createAppHarness();

      await app.receive('issue_comment', commentPayload('/cluster help', { login: APP_LOGIN, type: 'Bot' }));

      expect(app.fake.calls).toEqual([]);
    });

    it('reads its bot login once with GET /app when no slug is given', async () => {
      const app = await createAppHarness({ appSlug: undefined });
      mockAppSlug(APP_SLUG_FOR_LOOKUP);

      await app.receive(
        'issue_comment',
        commentPayload('/cluster', { login: `${APP_SLUG_FOR_LOOKUP}[bot]`, type: 'Bot' }),
      );
      await app.receive(
        'issue_comment',
        commentPayload('/cluster', { login: `${APP_SLUG_FOR_LOOKUP}[bot]`, type: 'Bot' }),
      );

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('on a pull request', () => {
    it('runs on the pull request branch', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      mockPullRequest(1, 'feature/login', `${OWNER}/${REPO}`);

      await app.receive('issue_comment', pullRequestCommentPayload('/cluster add the tests'));

      expect(app.fake.calls).toMatchObject([
        {
          operation: 'startRun',
          request: {
            pullRequest: { number: 1, headRef: 'feature/login' },
            extraInstructions: 'add the tests',
          },
        },
      ]);
    });

    it('refuses a pull request from a fork with the reason and starts nothing', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      mockPullRequest(1, 'patch-1', 'someone/Hello-World');
      const replies = mockReplies(1);

      await app.receive('issue_comment', pullRequestCommentPayload('/cluster'));

      expect(app.fake.calls).toEqual([]);
      expect(replies[0]).toContain('comes from a fork');
      expect(replies[0]).toContain('`allow_forks: true`');
    });

    it('refuses a pull request whose fork was deleted', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      mockPullRequest(1, 'patch-1', null);
      const replies = mockReplies(1);

      await app.receive('issue_comment', pullRequestCommentPayload('/cluster retry failed'));

      expect(app.fake.calls).toEqual([]);
      expect(replies[0]).toContain('comes from a fork');
    });

    it('runs on a fork when allow_forks is set', async () => {
      const app = await createAppHarness();
      mockConfig('allow_forks: true\n');
      mockPermission(MAINTAINER, 'write');
      mockPullRequest(1, 'patch-1', 'someone/Hello-World');

      await app.receive('issue_comment', pullRequestCommentPayload('/cluster plan'));

      expect(app.fake.calls).toMatchObject([
        {
          operation: 'startRun',
          request: { planOnly: true, pullRequest: { number: 1, headRef: 'patch-1' } },
        },
      ]);
    });

    it('shows the status of a fork pull request without reading it', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');

      await app.receive('issue_comment', pullRequestCommentPayload('/cluster status'));

      expect(app.fake.calls.map((call) => call.operation)).toEqual(['showStatus']);
    });
  });

  describe('with an invalid configuration', () => {
    it('answers with each problem, its line and its fix, and starts nothing', async () => {
      const app = await createAppHarness();
      mockConfig('label: cluster\nmax_paralel: 3\ndraft: maybe\n');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/cluster'));

      expect(app.fake.calls).toEqual([]);
      const lines = replies[0]?.split('\n') ?? [];
      expect(lines[0]).toBe('.github/claude-cluster.yml is invalid:');
      expect(lines.filter((line) => line.startsWith('- '))).toEqual([
        expect.stringMatching(
          /^- \.github\/claude-cluster\.yml line 2: .*`max_paralel`.*did you mean `max_parallel`\?/,
        ),
        expect.stringMatching(/^- \.github\/claude-cluster\.yml line 3: .*`draft`/),
      ]);
    });

    it('still answers only to the command word the file sets', async () => {
      const app = await createAppHarness();
      mockConfig('command: swarm\nmax_tasks: many\n');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/swarm'));

      expect(replies[0]).toContain('line 2:');
    });

    it('refuses a user without write access before showing the file’s problems', async () => {
      const app = await createAppHarness();
      mockConfig('max_paralel: 3\n');
      mockPermission('octocat', 'read');
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/cluster', { login: 'octocat', type: 'User' }));

      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain('Only people with write access');
    });
  });

  describe('with the configuration in the organization’s .github repository', () => {
    it('uses it when the repository has none', async () => {
      const app = await createAppHarness();
      mockOrgConfig('command: swarm\nmax_parallel: 7\n');
      mockPermission(MAINTAINER, 'write');

      await app.receive('issue_comment', commentPayload('/swarm status'));

      expect(app.fake.calls).toMatchObject([
        { operation: 'showStatus', context: { config: { max_parallel: 7 } } },
      ]);
    });

    it('names the organization file in its problems', async () => {
      const app = await createAppHarness();
      mockOrgConfig('\nverify: 3\n');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/cluster'));

      expect(replies[0]).toContain(`- ${OWNER}/.github:.github/claude-cluster.yml line 2:`);
    });
  });
});
