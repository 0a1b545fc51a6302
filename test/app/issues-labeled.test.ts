import { describe, expect, it } from 'vitest';
import { createAppHarness, examplePayload } from './app-harness.ts';
import { mockConfig, mockPermission, mockReplies } from './github-mocks.ts';

/** The `issues.labeled` example with the label `name`, added by `sender` (a user). */
function labeledPayload(name: string, sender = 'Codertocat') {
  const payload = examplePayload('issues', 'labeled');
  return {
    ...payload,
    label: { id: 1362934389, name, color: 'd73a4a', default: false, description: null },
    sender: { ...payload.sender, login: sender, type: 'User' },
  };
}

describe('issues.labeled', () => {
  describe('with the configured label, by a maintainer', () => {
    it('starts a run keyed by the delivery, so a redelivery is the same trigger', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission('Codertocat', 'admin');
      const payload = labeledPayload('Cluster');

      await app.receive('issues', payload, '72d3162e-cc78-11e3-81ab-4c9367dc0958');

      expect(app.fake.calls).toMatchObject([
        {
          operation: 'startRun',
          request: {
            issueNumber: 1,
            title: payload.issue.title,
            body: payload.issue.body,
            requestedBy: 'Codertocat',
            triggerId: 'label-1-72d3162e-cc78-11e3-81ab-4c9367dc0958',
            planOnly: false,
          },
        },
      ]);
    });

    it('posts what the orchestrator says', async () => {
      const app = await createAppHarness();
      mockConfig('label: swarm\n');
      mockPermission('Codertocat', 'write');
      const replies = mockReplies(1);
      app.fake.reply = { comment: 'Planning with Claude Code…' };

      await app.receive('issues', labeledPayload('swarm'));

      expect(replies).toEqual(['Planning with Claude Code…']);
    });
  });

  describe('with another label', () => {
    it('reads the configuration and does nothing else', async () => {
      const app = await createAppHarness();
      mockConfig('');

      await app.receive('issues', labeledPayload('bug'));

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('by a user without write access', () => {
    it('refuses once and starts nothing', async () => {
      const app = await createAppHarness();
      mockConfig('');
      mockPermission('octocat', 'read');
      const replies = mockReplies(1);

      await app.receive('issues', labeledPayload('cluster', 'octocat'));

      expect(app.fake.calls).toEqual([]);
      expect(replies).toEqual([
        'Thanks, @octocat! Only people with write access to this repository can start a run with the `cluster` label: the tasks run with this repository’s secrets. A maintainer can start it for you.',
      ]);
    });
  });

  describe('with an invalid configuration', () => {
    it('answers the labeler with the problems and starts nothing', async () => {
      const app = await createAppHarness();
      mockConfig('label: swarm\nbudget:\n  per_task_usd: -1\n');
      mockPermission('Codertocat', 'write');
      const replies = mockReplies(1);

      await app.receive('issues', labeledPayload('swarm'));

      expect(app.fake.calls).toEqual([]);
      expect(replies[0]).toMatch(
        /^\.github\/claude-cluster\.yml is invalid:\n\n- \.github\/claude-cluster\.yml line 3: /,
      );
    });
  });
});
