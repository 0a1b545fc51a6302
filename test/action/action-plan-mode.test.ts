import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { digestConfig, parsePlanRecord } from '../../core/github/plan-record.ts';
import { formatLedgerMessage } from '../../core/integrate/ledger-format.ts';
import type { RunStart } from '../../core/orchestrate/run-start.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';
import { stubAgentCommand } from '../helpers/temp-repo.ts';
import { type FakeIssueApi, startFakeIssueApi } from './fake-issue-api.ts';
import { dispatchEvent, runBundledAction } from './run-bundled-action.ts';

let remote: TempRemote;
let api: FakeIssueApi;
afterEach(async () => {
  await api.close();
  remote.remove();
});

const EXPLICIT = [
  '# Add the users API',
  '',
  '```cluster',
  'tasks:',
  '  - { id: db, title: Users table, prompt: "Create the users table." }',
  '  - { id: api, title: Users endpoint, prompt: "Add GET /users.", depends_on: [db] }',
  '  - { id: docs, title: Docs, prompt: "Document the API." }',
  '```',
].join('\n');

const BROKEN_PLAN_TWICE = [
  '# Plan me',
  '',
  '```stub-plan',
  'tasks:',
  '  - { id: a, title: A, prompt: x, depends_on: [a] }',
  '```',
  '',
  '```stub-plan-retry',
  'tasks:',
  '  - { id: b, title: B, prompt: y, depends_on: [missing] }',
  '```',
].join('\n');

function planJob(issueNumber: number, inputs: Record<string, string> = {}) {
  return runBundledAction({
    workspace: remote.clone(),
    event: dispatchEvent(),
    inputs: {
      mode: 'plan',
      'issue-number': String(issueNumber),
      'run-id': 'p1',
      'github-token': 'ghs_faketoken',
      ...inputs,
    },
    env: { GITHUB_API_URL: api.url },
  });
}

describe('the bundled action in plan mode', () => {
  beforeEach(async () => {
    remote = createTempRemote();
    api = await startFakeIssueApi([
      { number: 5, title: 'Add the users API', body: EXPLICIT },
      { number: 6, title: 'Plan me', body: BROKEN_PLAN_TWICE },
    ]);
  });

  describe('with an explicit plan in the issue', () => {
    it('publishes the run record and outputs the plan and the ready matrix', async () => {
      const run = await planJob(5);
      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(0);
      expect(run.outputs['task-count']).toBe('3');
      expect(run.outputs['run-id']).toBe('p1');
      expect(
        JSON.parse(run.outputs.matrix ?? '[]')
          .map((task: { id: string }) => task.id)
          .sort(),
      ).toEqual(['db', 'docs']);
      const comment = api.issues.get(5)?.comments[0];
      expect(parsePlanRecord(comment?.body ?? '')).toMatchObject({ runId: 'p1', issueNumber: 5 });
      expect(run.summary).toContain('```mermaid');
      expect(remote.git('branch', '--list', 'cluster/*')).toBe('');
      // Not started by the App: no run to look for, the checkout's configuration as always.
      expect(api.requests.filter((request) => request.includes('/commits'))).toEqual([]);
    });
  });

  describe('in a run the App started with a configuration that is not the checkout’s (an owner’s .github file)', () => {
    /** Serves issue 5 and run p1's ledger under `org-bots/`, its start entry recording `config`. */
    async function appRun(config: Record<string, unknown>) {
      await api.close();
      const start: RunStart = {
        source: 'agent',
        requestedBy: 'octocat',
        needsApproval: false,
        config: ConfigSchema.parse(config),
      };
      const message = formatLedgerMessage('Start run p1: Add the users API', {
        event: 'start',
        run: 'p1',
        base: 'main',
        baseCommit: 'b'.repeat(40),
        title: 'Add the users API',
        issue: 5,
        excerpt: JSON.stringify(start),
      });
      api = await startFakeIssueApi([{ number: 5, title: 'Add the users API', body: EXPLICIT }], {
        branches: { 'org-bots/p1/ledger': [{ sha: 's'.repeat(40), message, parents: ['b'.repeat(40)] }] },
      });
      return start.config!;
    }

    it('plans with the configuration recorded in the run’s start entry', async () => {
      const recorded = await appRun({
        branch_prefix: 'org-bots',
        max_tasks: 5,
        budget: { per_task_usd: 3.5 },
      });
      const run = await planJob(5, { task: '{"branch_prefix":"org-bots"}' });
      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(0);
      const comment = api.issues.get(5)?.comments[0]?.body ?? '';
      expect(parsePlanRecord(comment)?.configDigest).toBe(digestConfig(recorded));
      expect(comment).toContain('$3.50 per task');
    });

    it('refuses a plan over the recorded `max_tasks` though the checkout’s file allows it', async () => {
      await appRun({ branch_prefix: 'org-bots', max_tasks: 2 });
      const run = await planJob(5, { task: '{"branch_prefix":"org-bots"}' });
      expect(run.exitCode).toBe(1);
      expect(run.error).toMatch(/3 tasks, more than the limit of 2/);
      expect(api.issues.get(5)?.comments).toEqual([]);
    });

    it('refuses a location whose prefix the configuration would refuse, reading and posting nothing', async () => {
      await appRun({ branch_prefix: 'org-bots' });
      const run = await planJob(5, { task: '{"branch_prefix":"../elsewhere"}' });
      expect(run.exitCode).toBe(1);
      expect(run.error).toMatch(/`task` input must be the run's location/);
      expect(api.requests).toEqual([]);
    });
  });

  describe('with an agent whose plan is invalid twice', () => {
    it('fails clearly, posts nothing and pushes nothing', async () => {
      const run = await planJob(6, { agent: stubAgentCommand() });
      expect(run.exitCode).toBe(1);
      expect(run.error).toMatch(/plan is invalid after one retry/);
      expect(run.error).toMatch(/missing/);
      expect(
        api.requests.filter((request) => request.startsWith('POST') || request.startsWith('PATCH')),
      ).toEqual([]);
      expect(run.outputs).toEqual({});
      expect(remote.git('branch', '--list', 'cluster/*')).toBe('');
    });
  });
});
