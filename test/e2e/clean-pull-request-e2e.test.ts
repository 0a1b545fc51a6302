import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github.ts';
import { createSignalFile } from '../helpers/signal-file.ts';
import { type RunningApp, startApp } from './start-app.ts';

const REPO = 'octo/widgets';

let fake: FakeGitHub;
let app: RunningApp;
beforeEach(async () => {
  fake = await startFakeGitHub();
  app = await startApp(fake);
  await fake.addRepository({
    fullName: REPO,
    files: { 'README.md': '# widgets\n' },
    // The user's CI: every push to any branch, and every pull request.
    ci: true,
    collaborators: { octocat: 'write' },
  });
});
afterEach(async () => {
  await app.close();
  await fake.close();
});

const plan = (tasks: string) => `Please do this.\n\n\`\`\`cluster\ntasks:\n${tasks}\`\`\`\n`;

/** The repository's CI runs: which event started each, on which commit. */
const ciRuns = () =>
  fake.ciRuns(REPO).map((run) => ({ event: run.event, sha: run.headSha, branch: run.headBranch }));

/** Ref updates and creations the App made with its installation token. */
function appRefWrites(): number {
  const routes = fake.apiCallCount().byCaller.installation?.byRoute ?? {};
  return Object.entries(routes)
    .filter(([route]) => /^(PATCH|POST) \/repos\/[^/]+\/[^/]+\/git\/refs/.test(route))
    .reduce((sum, [, count]) => sum + count, 0);
}

async function settle(): Promise<void> {
  await fake.idle({ timeoutMs: 120_000 });
  expect(fake.serverErrors).toEqual([]);
  expect(fake.unknownRoutes).toEqual([]);
}

/** The repository's runs with the logs of failed jobs, and the status comment: the message of a failed assertion. */
function describeRepository(): string {
  const runs = fake.state.runs(REPO).map((run) => {
    const failed = fake.state.runJobs(run.id).filter((job) => job.conclusion === 'failure');
    return [
      `${run.path} on ${run.event} "${run.name}": ${run.conclusion}`,
      ...failed.map((job) => job.log),
    ].join('\n');
  });
  const comments = fake.state.issueComments(REPO, 1);
  return [...runs, ...comments.map((comment) => comment.body)].join('\n');
}

/** The run's pull request: its branches, and its head commit as the branch holds it now. */
async function onlyPull() {
  const pulls = fake.state.pulls(REPO);
  expect(pulls, describeRepository()).toHaveLength(1);
  const { head, base } = pulls[0]!.pull!;
  return { head: head.ref, base: base.ref, sha: (await fake.git(REPO, 'rev-parse', head.ref)).trim() };
}

describe('bookkeeping starts no CI and leaves a clean pull request', () => {
  it('runs CI only on the code the pull request shows, whose commits are the start, one merge per task and the tasks’ own', async () => {
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
    await settle();

    const pull = await onlyPull();
    const runs = ciRuns();
    // Not one run for a ledger entry: every run is on the pull request's head, at most one per kind of event.
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((run) => run.sha === pull.sha)).toBe(true);
    expect(new Set(runs.map((run) => run.event)).size).toBe(runs.length);
    const range = `${pull.base}..${pull.sha}`;
    expect((await fake.git(REPO, 'log', '--first-parent', '--format=%s', range)).split('\n').sort()).toEqual(
      [
        'Merge task bye: Bye',
        'Merge task docs: Docs',
        'Merge task hello: Hello',
        expect.stringMatching(/^Start run \d+-[0-9a-f]{8}: Greetings \[skip ci\]$/),
      ].sort(),
    );
    const messages = (await fake.git(REPO, 'log', '--no-merges', '--format=%s%x1f%b%x1e', range))
      .split('\x1e')
      .map((entry) => entry.trim())
      .filter(Boolean);
    // Besides the start, only the tasks' own commits: no dispatch, outcome or other bookkeeping commit.
    expect(messages.map((entry) => entry.split('\x1f')[0]).sort()).toEqual(
      ['Bye', 'Docs', 'Hello', expect.stringMatching(/^Start run /)].sort(),
    );
    const commits = (await fake.git(REPO, 'rev-list', '--count', range)).trim();
    console.log(
      `3-task run: ${runs.length} CI run(s) (${runs.map((run) => run.event).join(', ')}); the App made ${appRefWrites()} ref write(s) and ${fake.apiCallCount().byCaller.installation?.total ?? 0} request(s); the pull request has ${commits} commit(s)`,
    );
  });

  it('after the pull request opened, a retry that changes no code starts no CI, and one that lands code starts it once', async () => {
    const signal = createSignalFile();
    const issue = fake.createIssue(REPO, {
      title: 'Flaky',
      body: plan(
        `  - { id: flaky, title: Flaky, prompt: "@fail-unless ${signal.path}\\n@write flaky.txt = ok" }\n` +
          '  - { id: fine, title: Fine, prompt: "@write fine.txt = fine" }\n',
      ),
    });
    await fake.labelIssue(REPO, issue.number, 'cluster');
    await settle();
    const first = await onlyPull();
    expect(fake.state.pulls(REPO)[0]!.body).toContain('1 of 2 tasks integrated; 1 failed');
    const runsAtOpen = ciRuns();
    expect(runsAtOpen.every((run) => run.sha === first.sha)).toBe(true);

    // The task fails again: its outcome, the retry and the dispatch are recorded, and nothing of the code changes.
    await fake.comment(REPO, issue.number, '/cluster retry failed');
    await settle();
    expect((await onlyPull()).sha).toBe(first.sha);
    expect(ciRuns()).toEqual(runsAtOpen);

    signal.fire();
    await fake.comment(REPO, issue.number, '/cluster retry failed');
    await settle();
    const after = await onlyPull();
    expect(fake.state.pulls(REPO)[0]!.body).toContain('2 of 2 tasks integrated');
    expect(after.sha).not.toBe(first.sha);
    expect(await fake.git(REPO, 'show', `${after.sha}:flaky.txt`)).toBe('ok');
    // The new code was pushed once: one fast-forward from the first head, whose runs are the only new ones.
    expect((await fake.git(REPO, 'rev-parse', `${after.sha}^1`)).trim()).toBe(first.sha);
    const newRuns = ciRuns().slice(runsAtOpen.length);
    expect(newRuns.every((run) => run.sha === after.sha)).toBe(true);
    expect(new Set(newRuns.map((run) => run.event)).size).toBe(newRuns.length);
    expect(newRuns.map((run) => run.event)).toContain('pull_request');
    console.log(
      `CI runs: ${runsAtOpen.length} at the pull request's opening, +0 after a retry that changed no code, +${newRuns.length} after one that landed code`,
    );
  });
});
