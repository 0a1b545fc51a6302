import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { formatLedgerMessage } from '../../core/integrate/ledger-format.ts';
import { readLedger } from '../../core/integrate/read-ledger.ts';
import { formatDispatchRecord } from '../../core/orchestrate/dispatch-record.ts';
import { createSignalFile } from '../helpers/signal-file.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';
import { stubAgentCommand } from '../helpers/temp-repo.ts';
import { runBundledAction } from './run-bundled-action.ts';

let remote: TempRemote;
beforeEach(() => {
  remote = createTempRemote({ 'README.md': '# widgets\n', 'notes.txt': 'one\ntwo\nthree\n' });
});
afterEach(() => remote.remove());

const task = (id: string, prompt: string) =>
  JSON.stringify({ id, title: `Task ${id}`, prompt, depends_on: [], files: [] });
const branches = () =>
  remote.git('branch', '--list', 'cluster/*').replace(/[ *]+/g, '').split('\n').filter(Boolean);
const show = (ref: string, path: string) => remote.git('show', `${ref}:${path}`);

/** One task job: the bundle in a fresh clone, with the stub agent. */
function taskJob(id: string, prompt: string, inputs: Record<string, string> = {}) {
  return runBundledAction({
    workspace: remote.clone(),
    inputs: {
      mode: 'task',
      task: task(id, prompt),
      'run-id': '42',
      'base-ref': 'main',
      agent: stubAgentCommand(),
      ...inputs,
    },
  });
}

describe('the bundled action in task mode', () => {
  describe('with a clean task', () => {
    it('pushes the task branch, integrates it and reports outputs and a summary', async () => {
      const run = await taskJob('greet', '@write greet.txt = hello');
      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({
        status: 'integrated',
        branch: 'cluster/42/tasks/greet',
        integrated: 'true',
        conflicts: '[]',
      });
      expect(run.outputs.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(branches()).toEqual(['cluster/42/integration', 'cluster/42/ledger', 'cluster/42/tasks/greet']);
      expect(show('cluster/42/integration', 'greet.txt')).toBe('hello');
      expect(remote.git('log', '-1', '--format=%B', 'cluster/42/ledger')).toMatch(/^Cluster-Task: greet$/m);
      // Without the App, the job keeps the integration branch current: the start and the task's merge, no entry.
      expect(remote.git('log', '-1', '--format=%s', 'cluster/42/integration')).toBe(
        'Merge task greet: Task greet',
      );
      expect(run.summary).toContain('| `greet` Task greet | integrated |');
    });
  });

  describe('with two matrix tasks finishing at the same moment', () => {
    it('integrates both', async () => {
      const [a, b] = await Promise.all([
        taskJob('alpha', '@write a.txt = a'),
        taskJob('beta', '@write b.txt = b'),
      ]);
      expect([a.error, b.error]).toEqual([undefined, undefined]);
      expect([a.outputs.status, b.outputs.status]).toEqual(['integrated', 'integrated']);
      expect(show('cluster/42/integration', 'a.txt')).toBe('a');
      expect(show('cluster/42/integration', 'b.txt')).toBe('b');
      const ledger = await readLedger(remote.bare, 'cluster/42/ledger', '42');
      expect(ledger.map((entry) => entry.event)).toEqual(['start', 'task', 'task']);
    });
  });

  describe('with a conflict', () => {
    for (const [mode, status, resolution] of [
      ['skip', 'conflicted', 'skipped'],
      ['resolve', 'resolved', 'resolved'],
      ['retry', 'resolved', 'retried'],
    ] as const) {
      it(`with on-conflict ${mode}, reports ${status}`, async () => {
        // The late job's agent starts from the integration branch before the early job lands, and finishes after.
        const signal = createSignalFile();
        const late = taskJob('second', `@wait-for ${signal.path}\n@replace notes.txt line 2 = TWO (second)`, {
          'on-conflict': mode,
        });
        await signal.waiting();
        const early = await taskJob('first', '@replace notes.txt line 2 = TWO (first)');
        signal.fire();
        const run = await late;
        expect(early.outputs.status).toBe('integrated');
        expect(run.outputs.status).toBe(status);
        expect(JSON.parse(run.outputs.conflicts ?? '[]')).toEqual([{ files: ['notes.txt'], resolution }]);
        expect(run.summary).toContain('Conflict notes');
        expect(run.exitCode).toBe(status === 'conflicted' ? 1 : 0);
      });
    }
  });

  describe('when the agent fails', () => {
    it('still pushes the branch, sets status failed and fails the job with a clear message', async () => {
      const run = await taskJob('broken', '@write half.txt = half\n@fail cannot compile');
      expect(run.exitCode).toBe(1);
      expect(run.outputs.status).toBe('failed');
      expect(run.error).toMatch(
        /task `broken` failed: .*cannot compile.*partial work is on branch `cluster\/42\/tasks\/broken`/,
      );
      expect(show('cluster/42/tasks/broken', 'half.txt')).toBe('half');
    });
  });

  describe('on a branch whose author changed the cluster configuration', () => {
    it('uses the default branch’s configuration, so the branch cannot choose the verify command', async () => {
      const marker = join(tmpdir(), `cluster-pwned-${process.pid}-${Date.now()}`);
      const workspace = remote.clone();
      const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, stdio: 'ignore' });
      git('checkout', '-q', '-b', 'pr-head');
      mkdirSync(join(workspace, '.github'), { recursive: true });
      writeFileSync(join(workspace, '.github', 'claude-cluster.yml'), `verify: touch ${marker}\n`);
      git('add', '-A');
      git('commit', '-q', '-m', 'hostile config');
      git('push', '-q', 'origin', 'pr-head');
      const run = await runBundledAction({
        workspace,
        inputs: {
          mode: 'task',
          task: task('t', '@write t.txt = t'),
          'run-id': '42',
          'base-ref': 'pr-head',
          agent: stubAgentCommand(),
        },
      });
      expect(run.outputs.status).toBe('integrated');
      expect(existsSync(marker)).toBe(false);
    });
  });

  describe('in a run the App started with a configuration from elsewhere (the owner’s .github repository)', () => {
    const TOKEN = 'a'.repeat(16);
    /** Starts run 42 under `bots/cluster` as the App does: a start entry recording `config`, then the dispatch of `t`. */
    function startRunAsTheApp(config: Record<string, unknown>) {
      const base = remote.git('rev-parse', 'main');
      const commit = (parent: string, message: string) =>
        execFileSync('git', ['commit-tree', `${parent}^{tree}`, '-p', parent], {
          cwd: remote.bare,
          input: message,
          encoding: 'utf8',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'App',
            GIT_AUTHOR_EMAIL: 'app@example.com',
            GIT_COMMITTER_NAME: 'App',
            GIT_COMMITTER_EMAIL: 'app@example.com',
          },
        }).trim();
      const start = commit(
        base,
        formatLedgerMessage('Start run 42', {
          event: 'start',
          run: '42',
          base: 'main',
          baseCommit: base,
          title: 'Org run',
          excerpt: JSON.stringify({
            source: 'block',
            requestedBy: 'octocat',
            needsApproval: false,
            config: ConfigSchema.parse(config),
          }),
        }),
      );
      const dispatched = commit(
        start,
        formatLedgerMessage('Dispatch 1 task(s): t', {
          event: 'dispatch',
          run: '42',
          excerpt: formatDispatchRecord({ token: TOKEN, tasks: [{ id: 't', attempt: 1 }] }),
        }),
      );
      remote.git('update-ref', 'refs/heads/bots/cluster/42/ledger', dispatched);
    }

    it('finds the run under the prefix the App sent and runs the recorded verify, not the checkout’s', async () => {
      const marks = mkdtempSync(join(tmpdir(), 'cluster-recorded-'));
      const recorded = join(marks, 'recorded');
      const local = join(marks, 'local');
      // The repository's own file (on its default branch) says something else: the run did not start with it.
      const seed = remote.clone();
      mkdirSync(join(seed, '.github'), { recursive: true });
      writeFileSync(join(seed, '.github', 'claude-cluster.yml'), `verify: touch ${local}\n`);
      execFileSync('git', ['add', '-A'], { cwd: seed });
      execFileSync('git', ['commit', '-q', '-m', 'local config'], { cwd: seed });
      execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: seed });
      startRunAsTheApp({ branch_prefix: 'bots/cluster', verify: `touch ${recorded}` });

      const run = await runBundledAction({
        workspace: remote.clone(),
        inputs: {
          mode: 'task',
          task: JSON.stringify({
            ...JSON.parse(task('t', '@write t.txt = t')),
            dispatch: TOKEN,
            branch_prefix: 'bots/cluster',
          }),
          'run-id': '42',
          'base-ref': 'main',
          agent: stubAgentCommand(),
        },
      });

      expect(run.error).toBeUndefined();
      expect(run.outputs).toMatchObject({ status: 'integrated', branch: 'bots/cluster/42/tasks/t' });
      expect(show('bots/cluster/42/ledger', 't.txt')).toBe('t');
      expect(branches()).toEqual([]);
      expect(existsSync(recorded)).toBe(true);
      expect(existsSync(local)).toBe(false);
    });

    it('refuses a branch prefix that is not one, before pushing anything', async () => {
      const run = await taskJob('t', '@write t.txt = t', {
        task: JSON.stringify({ ...JSON.parse(task('t', '@write t.txt = t')), branch_prefix: '../main' }),
      });
      expect(run.exitCode).toBe(1);
      expect(run.error).toMatch(/`branch_prefix`: must be a branch name prefix/);
      expect(remote.git('for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
    });
  });

  describe('with bad input', () => {
    it('refuses a missing model credential before pushing anything', async () => {
      const run = await runBundledAction({
        workspace: remote.clone(),
        inputs: { mode: 'task', task: task('a', '@write a = a'), 'run-id': '42' },
      });
      expect(run.exitCode).toBe(1);
      expect(run.error).toMatch(/no model credential: set `anthropic-api-key/);
      expect(branches()).toEqual([]);
    });

    it('refuses a malformed task input before pushing anything', async () => {
      const run = await runBundledAction({
        workspace: remote.clone(),
        inputs: {
          mode: 'task',
          task: '{"id": "Bad Id!", "title": "x"',
          'run-id': '42',
          agent: stubAgentCommand(),
        },
      });
      expect(run.exitCode).toBe(1);
      expect(run.error).toMatch(/the `task` input is not JSON/);
      expect(branches()).toEqual([]);
    });

    it('refuses an unknown mode, naming the input', async () => {
      const run = await runBundledAction({ workspace: remote.clone(), inputs: { mode: 'deploy' } });
      expect(run.exitCode).toBe(1);
      expect(run.error).toMatch(/`mode` must be plan or task/);
    });
  });
});
