import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';
import { APP_LOGIN, createAppHarness } from './app-harness.ts';
import { commentPayload, MAINTAINER } from './comment-payloads.ts';
import { mockConfig, mockPermission, mockReplies, OWNER, REPO } from './github-mocks.ts';

describe('issue_comment.created', () => {
  describe('/cluster by a maintainer', () => {
    it('starts a run with the extra instructions', async () => {
      const app = await createAppHarness();
      mockConfig('max_parallel: 2\n');
      mockPermission(MAINTAINER, 'admin');
      const replies = mockReplies(1);
      app.fake.reply = { comment: 'Planning started.' };
      const payload = commentPayload('/cluster focus on the parser\nand keep the tests green');

      await app.receive('issue_comment', payload);

      expect(app.fake.calls).toHaveLength(1);
      const [call] = app.fake.calls;
      expect(call?.operation).toBe('startRun');
      expect(call?.request).toEqual({
        issueNumber: 1,
        title: payload.issue.title,
        body: payload.issue.body,
        requestedBy: MAINTAINER,
        triggerId: `comment-${payload.comment.id}`,
        extraInstructions: 'focus on the parser\nand keep the tests green',
        planOnly: false,
      });
      expect(call?.context).toMatchObject({
        owner: OWNER,
        repo: REPO,
        defaultBranch: 'master',
        config: ConfigSchema.parse({ max_parallel: 2 }),
        trustedAuthors: [APP_LOGIN, 'github-actions[bot]'],
      });
      expect(replies).toEqual(['Planning started.']);
    });

    it('posts nothing when the orchestrator has nothing to say', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');

      await app.receive('issue_comment', commentPayload('/cluster'));

      expect(app.fake.calls.map((call) => call.request)).toMatchObject([{ planOnly: false }]);
      expect(app.fake.calls[0]?.request).not.toHaveProperty('extraInstructions');
    });

    it('accepts the maintain role', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write', 'maintain');

      await app.receive('issue_comment', commentPayload('/Cluster STATUS'));

      expect(app.fake.calls.map((call) => call.operation)).toEqual(['showStatus']);
    });
  });

  describe('each subcommand by a maintainer', () => {
    it.each([
      [
        '/cluster plan only the backend',
        'startRun',
        { planOnly: true, extraInstructions: 'only the backend' },
      ],
      ['/cluster approve', 'approveRun', { issueNumber: 1, approvedBy: MAINTAINER }],
      ['/cluster status', 'showStatus', { issueNumber: 1 }],
      ['/cluster cancel', 'cancelRun', { issueNumber: 1, cancelledBy: MAINTAINER }],
      [
        '/cluster retry failed',
        'retryTasks',
        { issueNumber: 1, selection: { kind: 'failed' }, requestedBy: MAINTAINER },
      ],
      [
        '  /cluster retry API\nit timed out',
        'retryTasks',
        { issueNumber: 1, selection: { kind: 'task', taskId: 'api' }, requestedBy: MAINTAINER },
      ],
    ])('%j calls %s', async (body, operation, request) => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);
      app.fake.reply = { comment: `done: ${operation}` };

      await app.receive('issue_comment', commentPayload(body));

      expect(app.fake.calls).toMatchObject([{ operation, request }]);
      expect(replies).toEqual([`done: ${operation}`]);
    });
  });

  describe('/cluster help', () => {
    it('answers with the usage and starts nothing', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/cluster help'));

      expect(app.fake.calls).toEqual([]);
      expect(replies[0]).toContain('**claude-cluster commands**');
      expect(replies[0]).toContain('`/cluster retry <task-id>`');
    });
  });

  describe('an unknown subcommand', () => {
    it('answers with a suggestion and the usage, not silence', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/cluster statsu'));

      expect(app.fake.calls).toEqual([]);
      expect(replies[0]?.split('\n')[0]).toBe(
        '`/cluster statsu` is not a command; did you mean `/cluster status`?',
      );
      expect(replies[0]).toContain('**claude-cluster commands**');
    });

    it('answers `retry` without a task with how to name one', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);

      await app.receive('issue_comment', commentPayload('/cluster retry'));

      expect(app.fake.calls).toEqual([]);
      expect(replies[0]).toContain('`/cluster retry` takes one task id or `failed`');
    });
  });

  describe('a comment that is not a command', () => {
    it('makes no API call and starts nothing', async () => {
      const app = await createAppHarness();

      await app.receive('issue_comment', commentPayload('Looks good to me, thanks!'));

      expect(app.fake.calls).toEqual([]);
    });

    it('ignores another slash command after reading the configuration', async () => {
      const app = await createAppHarness();
      mockConfig('');

      await app.receive('issue_comment', commentPayload('/clusters please'));
      mockConfig('');
      await app.receive('issue_comment', commentPayload('/assign @me'));

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('with a configured command word', () => {
    it('answers `/swarm` and ignores `/cluster`', async () => {
      const app = await createAppHarness();
      mockConfig('command: swarm\n');
      mockPermission(MAINTAINER, 'write');
      await app.receive('issue_comment', commentPayload('/swarm status'));
      mockConfig('command: swarm\n');
      await app.receive('issue_comment', commentPayload('/cluster status'));

      expect(app.fake.calls.map((call) => call.operation)).toEqual(['showStatus']);
    });
  });

  describe('when the orchestrator fails', () => {
    it('answers an InputError with its problems', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);
      app.fake.error = new InputError('the plan in issue #1 is invalid', [
        'task `api` depends on `db`, which is not in the plan; add it or remove the dependency',
      ]);

      await app.receive('issue_comment', commentPayload('/cluster'));

      expect(replies).toEqual([
        'the plan in issue #1 is invalid:\n\n- task `api` depends on `db`, which is not in the plan; add it or remove the dependency',
      ]);
    });

    it('answers an EnvironmentError with its message', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);
      app.fake.error = new EnvironmentError(
        'the workflow .github/workflows/claude-cluster.yml does not exist; copy it from workflows-templates/',
      );

      await app.receive('issue_comment', commentPayload('/cluster'));

      expect(replies).toEqual([
        'the workflow .github/workflows/claude-cluster.yml does not exist; copy it from workflows-templates/',
      ]);
    });

    it('answers anything else with one comment naming the delivery, and logs the error', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);
      app.fake.error = new TypeError('cannot read properties of undefined');

      await app.receive('issue_comment', commentPayload('/cluster'), 'delivery-7f3a');

      expect(replies).toEqual([
        'Something went wrong in claude-cluster; see the App’s logs (delivery delivery-7f3a).',
      ]);
      const errors = app.logs.filter((record) => record.level === 50);
      expect(errors).toMatchObject([
        { deliveryId: 'delivery-7f3a', err: { message: 'cannot read properties of undefined' } },
      ]);
    });

    it('tells a refusal by GitHub by its status', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission(MAINTAINER, 'write');
      const replies = mockReplies(1);
      app.fake.error = Object.assign(new Error('Resource not accessible by integration'), { status: 403 });

      await app.receive('issue_comment', commentPayload('/cluster'), 'delivery-9');

      expect(replies[0]).toMatch(/^GitHub refused a request of claude-cluster \(403\)/);
      expect(replies[0]).toContain('(delivery delivery-9)');
    });
  });
});
