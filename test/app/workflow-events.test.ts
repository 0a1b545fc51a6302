import { describe, expect, it } from 'vitest';
import { createAppHarness, examplePayload } from './app-harness.ts';
import { mockConfig, mockWorkflowRun } from './github-mocks.ts';

/** The `workflow_run.completed` example with the run-name `displayTitle` and the run's `conclusion`. */
function workflowRunPayload(displayTitle: string, conclusion = 'failure') {
  const payload = examplePayload('workflow_run', 'completed');
  return { ...payload, workflow_run: { ...payload.workflow_run, display_title: displayTitle, conclusion } };
}

/** A `workflow_job` example of `action`, named `name`, belonging to workflow run `runId` of Codertocat/Hello-World. */
function workflowJobPayload(action: 'in_progress' | 'completed', runId: number, name = 'task api') {
  const payload = examplePayload('workflow_job', action);
  return {
    ...payload,
    repository: {
      ...payload.repository,
      name: 'Hello-World',
      owner: { ...payload.repository.owner, login: 'Codertocat' },
    },
    workflow_job: { ...payload.workflow_job, run_id: runId, name },
  };
}

describe('workflow_run.completed', () => {
  describe('of a cluster run', () => {
    it('reconciles the run named by the run-name', async () => {
      const app = await createAppHarness();
      mockConfig('max_parallel: 3\n');

      await app.receive('workflow_run', workflowRunPayload('claude-cluster issue-42 (task)'));

      expect(app.fake.calls).toMatchObject([
        {
          operation: 'reconcileRun',
          request: { runId: 'issue-42' },
          context: {
            owner: 'Codertocat',
            repo: 'Hello-World',
            defaultBranch: 'main',
            config: { max_parallel: 3 },
          },
        },
      ]);
    });

    it('fails the delivery when the reconcile fails, so it can be redelivered', async () => {
      const app = await createAppHarness();
      mockConfig('');
      app.fake.error = new Error('GitHub is down');

      await expect(
        app.receive('workflow_run', workflowRunPayload('claude-cluster issue-42 (plan)')),
      ).rejects.toThrow('GitHub is down');
    });

    it('does nothing while the configuration is invalid', async () => {
      const app = await createAppHarness();
      mockConfig('max_parallel: lots\n');

      await app.receive('workflow_run', workflowRunPayload('claude-cluster issue-42 (task)'));

      expect(app.fake.calls).toEqual([]);
      expect(app.logs).toContainEqual(
        expect.objectContaining({ msg: 'event ignored: invalid configuration' }),
      );
    });
  });

  describe('of a task run that succeeded', () => {
    it('makes no API call and reconciles nothing: each of its jobs reported as it ended', async () => {
      const app = await createAppHarness();

      await app.receive('workflow_run', workflowRunPayload('claude-cluster issue-42 (task)', 'success'));

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('of a planning run that succeeded', () => {
    it('reconciles the run, which records the plan it published', async () => {
      const app = await createAppHarness();
      mockConfig('');

      await app.receive('workflow_run', workflowRunPayload('claude-cluster issue-42 (plan)', 'success'));

      expect(app.fake.calls).toMatchObject([
        { operation: 'reconcileRun', request: { runId: 'issue-42', endedPlan: { conclusion: 'success' } } },
      ]);
    });
  });

  describe('of another workflow', () => {
    it('makes no API call and reconciles nothing', async () => {
      const app = await createAppHarness();

      await app.receive('workflow_run', workflowRunPayload('ci: update actions/setup-node'));

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('for the same run, delivered concurrently', () => {
    it('reconciles one delivery at a time', async () => {
      const app = await createAppHarness();
      mockConfig('');
      let running = 0;
      let mostAtOnce = 0;
      app.fake.during = async () => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      };
      const payload = workflowRunPayload('claude-cluster issue-42 (task)');

      await Promise.all([1, 2, 3].map(() => app.receive('workflow_run', payload)));

      expect(app.fake.calls).toHaveLength(3);
      expect(mostAtOnce).toBe(1);
    });
  });
});

describe('workflow_job', () => {
  describe('.completed of a task job named with its run (`task <id> (<run-id>)`)', () => {
    it('reconciles that run with the ended job, reading no workflow run', async () => {
      const app = await createAppHarness();
      mockConfig('');

      await app.receive('workflow_job', workflowJobPayload('completed', 7001, 'task api (42-0123abcd)'));

      expect(app.fake.calls).toMatchObject([
        {
          operation: 'reconcileRun',
          request: { runId: '42-0123abcd', endedJob: { taskId: 'api', workflowRunId: 7001 } },
        },
      ]);
    });
  });

  describe('.completed of a task job named `task <id>` (an older workflow)', () => {
    it('reconciles the run its workflow run belongs to', async () => {
      const app = await createAppHarness();
      mockWorkflowRun('Codertocat', 'Hello-World', 7001, 'claude-cluster issue-42 (task)');
      mockConfig('');

      await app.receive('workflow_job', workflowJobPayload('completed', 7001));

      expect(app.fake.calls).toMatchObject([
        { operation: 'reconcileRun', request: { runId: 'issue-42', endedJob: { taskId: 'api' } } },
      ]);
    });
  });

  describe('.completed of a job that is not a task (the planning job)', () => {
    it('costs no API call and reconciles nothing: its workflow run reports', async () => {
      const app = await createAppHarness();

      await app.receive('workflow_job', workflowJobPayload('completed', 7001, 'plan'));

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('.in_progress of a task job', () => {
    it('costs no API call and reconciles nothing: its dispatch entry already shows the task running', async () => {
      const app = await createAppHarness();

      await app.receive('workflow_job', workflowJobPayload('in_progress', 7001));

      expect(app.fake.calls).toEqual([]);
    });
  });

  describe('of several jobs of one matrix', () => {
    it('reads the run-name and the configuration once', async () => {
      const app = await createAppHarness();
      mockWorkflowRun('Codertocat', 'Hello-World', 7001, 'claude-cluster issue-42 (task)');
      mockConfig('');

      await app.receive('workflow_job', workflowJobPayload('completed', 7001));
      await app.receive('workflow_job', workflowJobPayload('completed', 7001));
      await app.receive('workflow_job', workflowJobPayload('completed', 7001));

      expect(app.fake.calls.map((call) => (call.request as { runId: string }).runId)).toEqual([
        'issue-42',
        'issue-42',
        'issue-42',
      ]);
    });
  });

  describe('named like a task job in another workflow', () => {
    it('reads the run once and reconciles nothing', async () => {
      const app = await createAppHarness();
      mockWorkflowRun('Codertocat', 'Hello-World', 9, 'Update README.md');

      await app.receive('workflow_job', workflowJobPayload('completed', 9));
      await app.receive('workflow_job', workflowJobPayload('completed', 9));

      expect(app.fake.calls).toEqual([]);
    });
  });
});
