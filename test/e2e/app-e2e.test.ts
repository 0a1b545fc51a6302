import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github.ts';
import { createSignalFile } from '../helpers/signal-file.ts';
import { expectTrafficMatchesSpec } from './expect-spec-clean.ts';
import { type RunningApp, startApp } from './start-app.ts';

const REPO = 'octo/widgets';
let fake: FakeGitHub;
let app: RunningApp;

beforeEach(async () => {
  fake = await startFakeGitHub();
  app = await startApp(fake);
});
afterEach(async () => {
  await app.close();
  await fake.close();
  expectTrafficMatchesSpec(fake);
});

const plan = (tasks: string) => `Please do this.\n\n\`\`\`cluster\ntasks:\n${tasks}\`\`\`\n`;

async function setUp(files: Record<string, string> = {}) {
  await fake.addRepository({
    fullName: REPO,
    files: { 'README.md': '# widgets\n', 'notes.txt': 'one\ntwo\nthree\n', ...files },
    collaborators: { octocat: 'write', stranger: 'read' },
  });
}

describe('the App end to end against a fake GitHub', () => {
  describe('issues.labeled with an explicit plan with dependencies', () => {
    it('runs the tasks wave by wave and opens one pull request that closes the issue', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Greetings',
        body: plan(
          '  - { id: hello, title: Hello, prompt: "@write hello.txt = hello" }\n' +
            '  - { id: bye, title: Bye, prompt: "@append hello.txt = bye", depends_on: [hello] }\n' +
            '  - { id: docs, title: Docs, prompt: "@write docs.md = docs" }\n',
        ),
      });
      fake.resetApiCallCount();
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });

      expect(fake.unknownRoutes).toEqual([]);
      const pulls = fake.state.pulls(REPO);
      expect(pulls).toHaveLength(1);
      const pull = pulls[0]!;
      expect(pull.body).toContain('3 of 3 tasks integrated');
      expect(pull.body).toContain(`Closes #${issue.number}`);
      const head = pull.pull!.head.ref;
      expect(await fake.git(REPO, 'show', `${head}:hello.txt`)).toBe('hello\nbye');
      const status = fake.state
        .issueComments(REPO, issue.number)
        .find((comment) => comment.body.includes('claude-cluster:status'));
      expect(status?.body).toMatch(/integrated/);
      // Each task row links the workflow run its job ran in.
      expect(status?.body).toMatch(/\[log\]\(https:\/\/github\.com\/octo\/widgets\/actions\/runs\/\d+\)/);
      // Counted before the test's own request below.
      const calls = fake.apiCallCount();
      const octokit = new Octokit({ baseUrl: fake.url, auth: fake.installationToken() });
      const checks = await octokit.rest.checks.listForRef({
        owner: 'octo',
        repo: 'widgets',
        ref: pull.pull!.head.sha,
      });
      expect(checks.data.check_runs.map((check) => [check.name, check.conclusion])).toEqual([
        ['claude-cluster', 'success'],
      ]);
      const token = calls.byCaller.app?.total ?? 0;
      const app = calls.byCaller.installation?.total ?? 0;
      console.log(
        `GitHub API calls for a 3-task run: the App ${app} (+${token} for its installation token), ` +
          `the task jobs ${calls.byCaller.job?.total ?? 0}; target ≤ ${3 * 3 + 12}`,
        JSON.stringify(calls.byCaller, null, 1),
      );
    });
  });

  describe('issues.labeled with a failing task that has dependents', () => {
    it('skips the dependents with the reason, lands the rest and says so in the pull request', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Mixed',
        body: plan(
          '  - { id: broken, title: Broken, prompt: "@write half.txt = half\\n@fail no luck" }\n' +
            '  - { id: after, title: After, prompt: "@write after.txt = after", depends_on: [broken] }\n' +
            '  - { id: fine, title: Fine, prompt: "@write fine.txt = fine" }\n',
        ),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });

      const pull = fake.state.pulls(REPO)[0]!;
      expect(pull.body).toContain('1 of 3 tasks integrated; 1 failed; 1 skipped');
      expect(pull.body).toMatch(/depends on \\?`broken\\?`, which failed/);
      expect(pull.body).toContain('/cluster retry broken');
      const branches = await fake.git(REPO, 'branch', '--list');
      expect(branches).toMatch(/tasks\/broken/);
      expect(branches).not.toMatch(/tasks\/after/);
    });
  });

  describe('a /cluster comment from someone without write access', () => {
    it('gets one polite refusal and nothing is dispatched', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Nope',
        body: plan('  - { id: a, title: A, prompt: "@write a = a" }\n'),
      });
      await fake.comment(REPO, issue.number, '/cluster', 'stranger');
      await fake.idle({ timeoutMs: 60_000 });

      const replies = fake.state
        .issueComments(REPO, issue.number)
        .filter((comment) => comment.user.login === 'claude-cluster[bot]');
      expect(replies).toHaveLength(1);
      expect(fake.state.runs(REPO)).toEqual([]);
      expect(await fake.git(REPO, 'branch', '--list', 'cluster/*')).toBe('');
    });
  });

  describe('the same label event delivered ten times, five of them at once', () => {
    it('makes exactly one run, one dispatch per task and one pull request', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Once',
        body: plan(
          '  - { id: one, title: One, prompt: "@write one.txt = 1" }\n  - { id: two, title: Two, prompt: "@write two.txt = 2" }\n',
        ),
      });
      const first = await fake.labelIssue(REPO, issue.number, 'cluster');
      await Promise.all(Array.from({ length: 5 }, () => fake.redeliver(first.id)));
      for (let i = 0; i < 4; i++) await fake.redeliver(first.id);
      await fake.idle({ timeoutMs: 120_000 });

      expect(fake.state.pulls(REPO)).toHaveLength(1);
      const taskJobs = fake.state
        .runs(REPO)
        .flatMap((run) => fake.state.runJobs(run.id))
        .filter((job) => job.name.startsWith('task '));
      const integrations = (await fake.git(REPO, 'branch', '--list', 'cluster/*/integration'))
        .trim()
        .split('\n');
      expect(integrations).toHaveLength(1);
      const runId = integrations[0]!.trim().split('/').at(-2);
      expect(taskJobs.map((job) => job.name).sort()).toEqual([`task one (${runId})`, `task two (${runId})`]);
    });
  });

  describe('two tasks of one wave editing the same line', () => {
    it('resolves the conflict with the agent and puts the conflict notes in the pull request', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Clash',
        body: plan(
          '  - { id: left, title: Left, prompt: "@replace notes.txt line 2 = TWO (left)" }\n' +
            '  - { id: right, title: Right, prompt: "@replace notes.txt line 2 = TWO (right)" }\n',
        ),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });

      const pull = fake.state.pulls(REPO)[0]!;
      expect(pull.body).toContain('2 of 2 tasks integrated (1 after resolving a conflict)');
      expect(pull.body).toContain('## Conflict notes');
      expect(pull.body).toContain('resolved by the agent');
      expect(pull.body).toContain('notes.txt');
    });
  });

  describe('with the configuration in the owner’s .github repository', () => {
    it('runs every job on it: the org’s branch prefix and verify command, not the checkout’s defaults', async () => {
      const marks = mkdtempSync(join(tmpdir(), 'cluster-org-verify-'));
      const verifyLog = join(marks, 'verify-runs.txt');
      await fake.addRepository({
        fullName: 'octo/.github',
        files: {
          '.github/claude-cluster.yml': `branch_prefix: bots/cluster\nverify: "echo verified >> ${verifyLog}"\n`,
        },
      });
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Org settings',
        body: plan(
          '  - { id: one, title: One, prompt: "@write one.txt = 1" }\n' +
            '  - { id: two, title: Two, prompt: "@write two.txt = 2" }\n',
        ),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });

      const pulls = fake.state.pulls(REPO);
      expect(pulls).toHaveLength(1);
      const pull = pulls[0]!;
      expect(pull.body).toContain('2 of 2 tasks integrated');
      expect(pull.pull!.head.ref).toMatch(/^bots\/cluster\/\d+-[0-9a-f]+\/integration$/);
      const branches = (await fake.git(REPO, 'branch', '--list', '--format=%(refname:short)')).split('\n');
      expect(branches.filter((branch) => branch !== 'main' && !branch.startsWith('bots/cluster/'))).toEqual(
        [],
      );
      expect(branches.filter((branch) => /\/tasks\//.test(branch)).sort()).toEqual([
        pull.pull!.head.ref.replace(/integration$/, 'tasks/one'),
        pull.pull!.head.ref.replace(/integration$/, 'tasks/two'),
      ]);
      // Each task job ran the org's verify command after integrating its task.
      expect(readFileSync(verifyLog, 'utf8')).toBe('verified\nverified\n');
      rmSync(marks, { recursive: true, force: true });
    });
  });

  describe('with the configuration in the owner’s .github repository and an issue without a plan', () => {
    it('plans on it too: the planning job shows the org’s budget and the run lands under the org’s prefix', async () => {
      await fake.addRepository({
        fullName: 'octo/.github',
        files: {
          '.github/claude-cluster.yml': 'branch_prefix: bots/cluster\nbudget:\n  per_task_usd: 2.5\n',
        },
      });
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Plan it with org settings',
        body: 'Add two files.\n\n```stub-plan\ntasks:\n  - { id: one, title: One, prompt: "@write one.txt = 1" }\n  - { id: two, title: Two, prompt: "@write two.txt = 2" }\n```\n',
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });

      expect(fake.state.runs(REPO).some((run) => run.name.endsWith('(plan)'))).toBe(true);
      const comments = fake.state.issueComments(REPO, issue.number).map((comment) => comment.body);
      // The plan comment's estimate uses the org's per-task budget, which the checkout does not have.
      expect(comments.find((body) => body.includes('per task'))).toContain('2 tasks × $2.50 per task');
      const pull = fake.state.pulls(REPO)[0];
      expect(pull?.body).toContain('2 of 2 tasks integrated');
      expect(pull?.pull?.head.ref).toMatch(/^bots\/cluster\/\d+-[0-9a-f]+\/integration$/);
    });
  });

  describe('with approval: plan', () => {
    it('waits for /cluster approve, then runs the plan', async () => {
      await setUp({ '.github/claude-cluster.yml': 'approval: plan\n' });
      const issue = fake.createIssue(REPO, {
        title: 'Gate',
        body: plan('  - { id: a, title: A, prompt: "@write a.txt = a" }\n'),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 60_000 });
      expect(fake.state.runs(REPO)).toEqual([]);
      const bot = fake.state
        .issueComments(REPO, issue.number)
        .filter((comment) => comment.user.login === 'claude-cluster[bot]');
      expect(bot.map((comment) => comment.body).join('\n')).toContain('/cluster approve');

      await fake.comment(REPO, issue.number, '/cluster approve');
      await fake.idle({ timeoutMs: 120_000 });
      expect(fake.state.pulls(REPO)).toHaveLength(1);
      expect(fake.state.pulls(REPO)[0]!.body).toContain('1 of 1 task integrated');
    });
  });

  describe('/cluster on a pull request', () => {
    it('opens the result as a pull request into that pull request’s branch', async () => {
      await setUp();
      await fake.pushFiles(REPO, 'feature', { 'feature.txt': 'feature\n' }, { from: 'main' });
      const { number } = await fake.openPullRequest(REPO, {
        head: 'feature',
        title: 'Feature',
        body: plan('  - { id: docs, title: Docs, prompt: "@write docs.md = docs" }\n'),
      });
      await fake.idle({ timeoutMs: 30_000 });
      await fake.comment(REPO, number, '/cluster keep the docs short');
      await fake.idle({ timeoutMs: 120_000 });

      const result = fake.state.pulls(REPO).find((pull) => pull.number !== number);
      expect(result?.pull?.base.ref).toBe('feature');
      expect(await fake.git(REPO, 'show', `${result?.pull?.head.ref}:feature.txt`)).toBe('feature');
      expect(await fake.git(REPO, 'show', `${result?.pull?.head.ref}:docs.md`)).toBe('docs');
      expect(result?.body).not.toContain('Closes #');
    });
  });

  describe('an issue without a plan', () => {
    it('is planned by the workflow (plan mode) and then run', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Plan it',
        body: 'Add two files.\n\n```stub-plan\ntasks:\n  - { id: one, title: One, prompt: "@write one.txt = 1" }\n  - { id: two, title: Two, prompt: "@write two.txt = 2", depends_on: [one] }\n```\n',
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });

      const pull = fake.state.pulls(REPO)[0];
      expect(pull?.body).toContain('2 of 2 tasks integrated');
      expect(fake.state.runs(REPO).some((run) => run.name.endsWith('(plan)'))).toBe(true);
    });
  });

  describe('/cluster retry failed', () => {
    it('re-runs the failed task and its skipped dependent on the integration branch and updates the pull request', async () => {
      await setUp();
      const signal = createSignalFile();
      const issue = fake.createIssue(REPO, {
        title: 'Flaky',
        body: plan(
          `  - { id: flaky, title: Flaky, prompt: "@fail-unless ${signal.path}\\n@write flaky.txt = ok" }\n` +
            '  - { id: after, title: After, prompt: "@write after.txt = after", depends_on: [flaky] }\n',
        ),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });
      expect(fake.state.pulls(REPO)[0]?.body).toContain('0 of 2 tasks integrated; 1 failed; 1 skipped');

      signal.fire();
      await fake.comment(REPO, issue.number, '/cluster retry failed');
      await fake.idle({ timeoutMs: 120_000 });
      const pulls = fake.state.pulls(REPO);
      expect(pulls).toHaveLength(1);
      expect(pulls[0]!.body).toContain('2 of 2 tasks integrated');
      expect(await fake.git(REPO, 'show', `${pulls[0]!.pull!.head.ref}:after.txt`)).toBe('after');
    });
  });

  describe('/cluster cancel while tasks run', () => {
    it('stops the run: its workflow runs are cancelled and nothing more is dispatched', async () => {
      await setUp();
      const signal = createSignalFile();
      const issue = fake.createIssue(REPO, {
        title: 'Long',
        body: plan(
          `  - { id: slow, title: Slow, prompt: "@wait-for ${signal.path}\\n@write slow.txt = slow" }\n` +
            '  - { id: next, title: Next, prompt: "@write next.txt = next", depends_on: [slow] }\n',
        ),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await signal.waiting();
      await fake.comment(REPO, issue.number, '/cluster cancel');
      signal.fire();
      await fake.idle({ timeoutMs: 120_000 });

      const replies = fake.state.issueComments(REPO, issue.number).map((comment) => comment.body);
      expect(replies.some((body) => body.includes('cancelled by @octocat'))).toBe(true);
      const taskJobs = fake.state
        .runs(REPO)
        .flatMap((run) => fake.state.runJobs(run.id))
        .map((job) => job.name);
      expect(taskJobs).not.toContain('task next');
    });
  });

  describe('when the pull request is closed', () => {
    it('deletes the run’s task branches, keeping the integration branch and the ledger', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Tidy',
        body: plan('  - { id: a, title: A, prompt: "@write a.txt = a" }\n'),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });
      const pull = fake.state.pulls(REPO)[0]!;
      await fake.closePullRequest(REPO, pull.number, { merge: true });
      await fake.idle({ timeoutMs: 60_000 });

      const left = (await fake.git(REPO, 'branch', '--list', 'cluster/*'))
        .trim()
        .split('\n')
        .map((line) => line.trim());
      const head = pull.pull!.head.ref;
      expect(left).toEqual([head, head.replace(/\/integration$/, '/ledger')]);
    });

    it('closed unmerged, opens no other pull request when every event is delivered again', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Tidy',
        body: plan('  - { id: a, title: A, prompt: "@write a.txt = a" }\n'),
      });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });
      const pull = fake.state.pulls(REPO)[0]!;
      await fake.closePullRequest(REPO, pull.number, { merge: false });
      await fake.idle({ timeoutMs: 60_000 });
      // A fresh App (a restart, another replica) remembers nothing of the run: only the ledger tells.
      await app.close();
      app = await startApp(fake);

      for (const delivery of [...fake.deliveries]) await fake.redeliver(delivery.id);
      await fake.idle({ timeoutMs: 120_000 });

      expect(fake.state.pulls(REPO)).toHaveLength(1);
      const status = fake.state
        .issueComments(REPO, issue.number)
        .find((comment) => comment.body.includes('claude-cluster:status'));
      expect(status?.body).toContain('closed without merging');
    });
  });

  describe('an issue whose planning fails', () => {
    it('says so on the issue, with the way to try again, and dispatches no task', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, { title: 'Vague', body: 'Make it better.' });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      await fake.idle({ timeoutMs: 120_000 });

      const status = fake.state
        .issueComments(REPO, issue.number)
        .find((comment) => comment.body.includes('claude-cluster:status'));
      expect(status?.body).toMatch(/ended \(failure\) without a valid plan/);
      expect(status?.body).toContain('/cluster');
      expect(fake.state.runs(REPO).map((run) => run.name)).toEqual([expect.stringMatching(/\(plan\)$/)]);
    });
  });

  describe('guards end to end', () => {
    it('ignores a bot’s /cluster comment without replying', async () => {
      await setUp();
      const issue = fake.createIssue(REPO, {
        title: 'Bot',
        body: plan('  - { id: a, title: A, prompt: "@write a = a" }\n'),
      });
      await fake.comment(REPO, issue.number, '/cluster', 'renovate[bot]');
      await fake.idle({ timeoutMs: 30_000 });
      expect(fake.state.issueComments(REPO, issue.number).map((comment) => comment.user.login)).toEqual([
        'renovate[bot]',
      ]);
      expect(fake.state.runs(REPO)).toEqual([]);
    });

    it('refuses /cluster on a pull request from a fork, explaining why', async () => {
      await setUp();
      const { number } = await fake.openPullRequest(REPO, {
        head: 'contrib',
        title: 'From a fork',
        user: 'outsider',
        fork: { owner: 'outsider', files: { 'x.txt': 'x\n' } },
        body: plan('  - { id: a, title: A, prompt: "@write a = a" }\n'),
      });
      await fake.idle({ timeoutMs: 30_000 });
      await fake.comment(REPO, number, '/cluster');
      await fake.idle({ timeoutMs: 30_000 });
      const replies = fake.state
        .issueComments(REPO, number)
        .filter((comment) => comment.user.login === 'claude-cluster[bot]');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.body).toMatch(/fork/i);
      expect(fake.state.runs(REPO)).toEqual([]);
    });

    it('answers an invalid configuration with the problem, its line and the fix, and dispatches nothing', async () => {
      await setUp({ '.github/claude-cluster.yml': 'label: cluster\nmax_paralel: 3\n' });
      const issue = fake.createIssue(REPO, {
        title: 'Config',
        body: plan('  - { id: a, title: A, prompt: "@write a = a" }\n'),
      });
      await fake.comment(REPO, issue.number, '/cluster');
      await fake.idle({ timeoutMs: 30_000 });
      const replies = fake.state
        .issueComments(REPO, issue.number)
        .filter((comment) => comment.user.login === 'claude-cluster[bot]');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.body).toContain('line 2');
      expect(replies[0]!.body).toContain('did you mean `max_parallel`');
      expect(fake.state.runs(REPO)).toEqual([]);
    });
  });
});
