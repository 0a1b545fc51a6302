import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github.ts';
import { REPO_ROOT } from '../fake-github/fake-github-options.ts';
import { expectTrafficMatchesSpec } from './expect-spec-clean.ts';

const REPO = 'octo/widgets';
const BOT = 'github-actions[bot]';
/** The zero-hosting template, installed where its header says. */
const APP_WORKFLOW_PATH = '.github/workflows/claude-cluster-app.yml';
const APP_WORKFLOW = readFileSync(
  join(REPO_ROOT, 'workflows-templates', 'claude-cluster-zero-hosting.yml'),
  'utf8',
);
/** The repository's own CI, which pull requests normally start. */
const CI_WORKFLOW_PATH = '.github/workflows/ci.yml';
const CI_WORKFLOW = 'name: ci\non: [pull_request]\njobs:\n  test:\n    steps:\n      - run: echo testing\n';

let fake: FakeGitHub;
beforeEach(async () => {
  // No App receives webhooks: everything below happens inside the repository's workflows.
  fake = await startFakeGitHub();
  await fake.addRepository({
    fullName: REPO,
    files: {
      'README.md': '# widgets\n',
      [APP_WORKFLOW_PATH]: APP_WORKFLOW,
      [CI_WORKFLOW_PATH]: CI_WORKFLOW,
    },
    collaborators: { octocat: 'write' },
  });
});
afterEach(async () => {
  await fake.close();
  expectTrafficMatchesSpec(fake);
});

const plan = (tasks: string) => `Please do this.\n\n\`\`\`cluster\ntasks:\n${tasks}\`\`\`\n`;
const THREE_TASKS = plan(
  '  - { id: hello, title: Hello, prompt: "@write hello.txt = hello" }\n' +
    '  - { id: bye, title: Bye, prompt: "@append hello.txt = bye", depends_on: [hello] }\n' +
    '  - { id: docs, title: Docs, prompt: "@write docs.md = docs" }\n',
);

/** The runs of the zero-hosting workflow: what started each and how it ended. */
function appRuns() {
  return fake.state
    .runs(REPO)
    .filter((run) => run.path === APP_WORKFLOW_PATH)
    .map((run) => ({ event: run.event, conclusion: run.conclusion }));
}

/** The repository's runs, the status comment and the logs of failed jobs: the message of a failed assertion. */
function describeRepository(issueNumber: number): string {
  const runs = fake.state.runs(REPO).map((run) => {
    const failed = fake.state.runJobs(run.id).filter((job) => job.conclusion === 'failure');
    return [
      `${run.path} on ${run.event} "${run.name}": ${run.conclusion}`,
      ...failed.map((job) => job.log),
    ].join('\n');
  });
  const status = fake.state
    .issueComments(REPO, issueNumber)
    .find((comment) => comment.body.includes('claude-cluster:status'));
  return [...runs, `status comment:\n${status?.body ?? '(none)'}`].join('\n');
}

/** What a person sees of the run once the repository is quiet again. */
async function outcome(issueNumber: number) {
  await fake.idle({ timeoutMs: 55_000 });
  expect(fake.serverErrors).toEqual([]);
  expect(fake.unknownRoutes).toEqual([]);
  const comments = fake.state.issueComments(REPO, issueNumber);
  const pulls = fake.state.pulls(REPO);
  const message = describeRepository(issueNumber);
  expect(pulls, message).toHaveLength(1);
  return {
    runs: appRuns(),
    pull: pulls[0]!,
    comments,
    status: comments.find((comment) => comment.body.includes('claude-cluster:status')),
    ciRuns: fake.state.runs(REPO).filter((run) => run.path === CI_WORKFLOW_PATH),
    message,
  };
}

describe('zero-hosting mode end to end: the App’s handlers inside the repository’s workflow', () => {
  describe('when a person labels an issue holding a plan of three tasks with a dependency', () => {
    it('runs the tasks and opens one pull request with their work, all as github-actions[bot], without starting CI', async () => {
      const issue = fake.createIssue(REPO, { title: 'Greetings', body: THREE_TASKS });
      await fake.labelIssue(REPO, issue.number, 'cluster');
      const seen = await outcome(issue.number);

      const { pull } = seen;
      expect(pull.user.login).toBe(BOT);
      expect(pull.body).toContain('3 of 3 tasks integrated');
      expect(pull.body).toContain(`Closes #${issue.number}`);
      expect(pull.pull!.head.ref).toMatch(/integration/);
      expect(await fake.git(REPO, 'show', `${pull.pull!.head.ref}:hello.txt`)).toBe('hello\nbye');
      expect(await fake.git(REPO, 'show', `${pull.pull!.head.ref}:docs.md`)).toBe('docs');
      expect(seen.comments.map((comment) => comment.user.login)).toEqual(seen.comments.map(() => BOT));
      expect(seen.status?.body).toMatch(/integrated/);
      expect(seen.status?.body).toContain(`#${pull.number}`);
      // Started by the label, then by each dispatched run's completion; every handler succeeded.
      expect(seen.runs[0], seen.message).toEqual({ event: 'issues', conclusion: 'success' });
      expect(seen.runs.slice(1).length, seen.message).toBeGreaterThan(0);
      expect(seen.runs.slice(1), seen.message).toEqual(
        seen.runs.slice(1).map(() => ({ event: 'workflow_run', conclusion: 'success' })),
      );
      // The pull request was opened with the workflow's GITHUB_TOKEN: GitHub starts no workflow for it.
      expect(seen.ciRuns).toEqual([]);
      // Nothing was sent to a hosted App.
      expect(
        fake.deliveries.flatMap((delivery) => delivery.attempts).every((a) => a.status === undefined),
      ).toBe(true);
    });
  });

  describe('when a collaborator comments /cluster on an issue holding a plan', () => {
    it('runs it into one pull request, and a comment without a slash starts no handler', async () => {
      const issue = fake.createIssue(REPO, {
        title: 'One file',
        body: plan('  - { id: one, title: One, prompt: "@write one.txt = 1" }\n'),
      });
      await fake.comment(REPO, issue.number, 'Looks good to me.');
      await fake.idle({ timeoutMs: 20_000 });
      expect(appRuns()).toEqual([{ event: 'issue_comment', conclusion: 'skipped' }]);
      expect(fake.state.runJobs(fake.state.runs(REPO)[0]!.id).map((job) => job.conclusion)).toEqual([
        'skipped',
      ]);

      await fake.comment(REPO, issue.number, '/cluster');
      const seen = await outcome(issue.number);

      expect(seen.pull.user.login).toBe(BOT);
      expect(seen.pull.body).toContain('1 of 1 task integrated');
      expect(await fake.git(REPO, 'show', `${seen.pull.pull!.head.ref}:one.txt`)).toBe('1');
      expect(seen.runs.slice(1), seen.message).toEqual([
        { event: 'issue_comment', conclusion: 'success' },
        ...seen.runs.slice(2).map(() => ({ event: 'workflow_run', conclusion: 'success' })),
      ]);
      expect(
        seen.comments.filter((comment) => comment.user.login !== 'octocat').map((c) => c.user.login),
      ).toEqual(expect.arrayContaining([BOT]));
      expect(seen.status?.body).toContain(`#${seen.pull.number}`);
      expect(seen.ciRuns).toEqual([]);
    });
  });

  describe('when a plain comment follows /cluster approve while another handler of the issue still runs', () => {
    it('still runs the approval: no command waiting for its turn is replaced', async () => {
      const issue = fake.createIssue(REPO, {
        title: 'Gate',
        body: plan('  - { id: one, title: One, prompt: "@write one.txt = 1" }\n'),
      });
      await fake.comment(REPO, issue.number, '/cluster plan');
      await fake.idle({ timeoutMs: 30_000 });
      expect(fake.state.pulls(REPO)).toEqual([]);

      // Posted together: the status handler is still running when the approval and the plain comment arrive.
      await fake.comment(REPO, issue.number, '/cluster status');
      await fake.comment(REPO, issue.number, '/cluster approve');
      await fake.comment(REPO, issue.number, 'LGTM');
      const seen = await outcome(issue.number);

      expect(seen.pull.body, seen.message).toContain('1 of 1 task integrated');
      const comments = seen.runs.filter((run) => run.event === 'issue_comment');
      expect(comments, seen.message).toEqual([
        { event: 'issue_comment', conclusion: 'success' },
        { event: 'issue_comment', conclusion: 'success' },
        { event: 'issue_comment', conclusion: 'success' },
        { event: 'issue_comment', conclusion: 'skipped' },
      ]);
      expect(
        seen.runs.filter((run) => run.conclusion === 'cancelled'),
        seen.message,
      ).toEqual([]);
    });
  });
});
