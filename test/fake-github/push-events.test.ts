import { afterEach, describe, expect, it } from 'vitest';
import { CI_WORKFLOW_PATH, type FakeGitHubOptions } from './fake-github.ts';
import { type FakeFixture, startFakeFixture } from './fake-github-fixture.ts';

const REPO = 'octo/widgets';
const where = { owner: 'octo', repo: 'widgets' };

let f: FakeFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

/** A fake whose repository has the user's CI on [push, pull_request], and whose App also subscribes to `push`. */
async function start(files: Record<string, string> = {}, options: FakeGitHubOptions = {}) {
  f = await startFakeFixture(
    { ci: true, files: { 'README.md': '# widgets\n', ...files } },
    {
      app: { events: ['issues', 'issue_comment', 'pull_request', 'workflow_run', 'workflow_job', 'push'] },
      ...options,
    },
  );
  return f;
}

/** The payloads of the webhooks of one event delivered so far, oldest first. */
function payloadsOf(fixture: FakeFixture, event: string): Record<string, unknown>[] {
  return fixture.fake.deliveries
    .filter((delivery) => delivery.event === event)
    .map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>);
}

/** A new commit on top of `parent` with one more file, written with the git data API's objects. */
async function commitOnTop(fixture: FakeFixture, parent: string, message: string): Promise<string> {
  const bare = fixture.fake.repository(REPO).bareDir;
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stdout } = await promisify(execFile)(
    'git',
    [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit-tree',
      `${parent}^{tree}`,
      '-p',
      parent,
      '-m',
      message,
    ],
    { cwd: bare },
  );
  return stdout.trim();
}

describe('ref updates in the fake GitHub', () => {
  it('send push and pull_request.synchronize and start push and pull_request workflows when the App moves a pull request’s head', async () => {
    const fixture = await start();
    const { fake, octokit } = fixture;
    await fake.pushFiles(REPO, 'feature', { 'f.txt': 'f\n' }, { from: 'main' });
    await fake.openPullRequest(REPO, { head: 'feature', title: 'Feature' });
    await fake.idle();
    const before = (await fake.git(REPO, 'rev-parse', 'feature')).trim();
    const after = await commitOnTop(fixture, before, 'Follow up');

    await octokit.rest.git.updateRef({ ...where, ref: 'heads/feature', sha: after });
    await fake.idle();

    const push = payloadsOf(fixture, 'push').at(-1);
    expect(push).toMatchObject({
      ref: 'refs/heads/feature',
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      head_commit: { id: after, message: 'Follow up' },
      pusher: { name: 'claude-cluster[bot]' },
      sender: { login: 'claude-cluster[bot]' },
    });
    const sync = payloadsOf(fixture, 'pull_request').find((payload) => payload.action === 'synchronize');
    expect(sync).toMatchObject({
      action: 'synchronize',
      before,
      after,
      pull_request: { head: { sha: after } },
    });
    expect(
      fake
        .ciRuns(REPO, { headSha: after })
        .map((run) => run.event)
        .sort(),
    ).toEqual(['pull_request', 'push']);
    expect(fake.ciRuns(REPO, { headSha: after, event: 'push' })[0]).toMatchObject({
      headBranch: 'feature',
      name: 'Follow up',
      conclusion: 'success',
    });
  });

  it('by a job’s GITHUB_TOKEN send the webhooks but start no workflow', async () => {
    const pushFromJob = `name: pusher
on:
  issues:
    types: [labeled]
permissions:
  contents: write
jobs:
  main:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: |
          git -c user.name=ci -c user.email=ci@example.com commit -q --allow-empty -m "From the job"
          git push -q origin HEAD:refs/heads/from-job
`;
    const fixture = await start({ '.github/workflows/pusher.yml': pushFromJob });
    const { fake } = fixture;
    const issue = fake.createIssue(REPO, { title: 'Go' });
    await fake.labelIssue(REPO, issue.number, 'go');
    await fake.idle();

    const sha = (await fake.git(REPO, 'rev-parse', 'from-job')).trim();
    expect(payloadsOf(fixture, 'push').some((payload) => payload.after === sha)).toBe(true);
    expect(fake.ciRuns(REPO, { headSha: sha })).toEqual([]);
  });

  it('by a person start CI for every push, and none when the head commit says [skip ci] or a variant, or has a skip-checks trailer', async () => {
    const fixture = await start();
    const { fake } = fixture;
    const plain = await fake.pushFiles(REPO, 'main', { 'a.txt': 'a\n' }, { message: 'Change a' });
    const skipped: string[] = [];
    for (const message of [
      'Change b [skip ci]',
      '[ci skip] Change c',
      'Change d [no ci]',
      'Change e [skip actions]',
      'Change f [actions skip]',
      'Change g\n\n\nskip-checks: true',
      'Change h\n\n\nskip-checks:true',
    ])
      skipped.push(await fake.pushFiles(REPO, 'main', { 'b.txt': message }, { message }));
    await fake.idle();

    expect(fake.ciRuns(REPO, { headSha: plain, event: 'push' })).toHaveLength(1);
    for (const sha of skipped) expect(fake.ciRuns(REPO, { headSha: sha })).toEqual([]);
  });

  it('skip pull_request workflows when the pull request’s head commit says [skip ci]', async () => {
    const fixture = await start();
    const { fake } = fixture;
    await fake.pushFiles(REPO, 'quiet', { 'q.txt': 'q\n' }, { from: 'main', message: 'Quiet [skip ci]' });
    await fake.openPullRequest(REPO, { head: 'quiet', title: 'Quiet' });
    await fake.pushFiles(REPO, 'loud', { 'l.txt': 'l\n' }, { from: 'main', message: 'Loud' });
    await fake.openPullRequest(REPO, { head: 'loud', title: 'Loud' });
    await fake.idle();

    expect(fake.ciRuns(REPO, { event: 'pull_request' }).map((run) => run.headBranch)).toEqual(['loud']);
    expect(
      fake.workflowRuns.filter((run) => run.path === CI_WORKFLOW_PATH).map((run) => run.headBranch),
    ).toEqual(['loud', 'loud']);
  });

  it('by merging a pull request send push for the base branch and start its push workflows', async () => {
    const fixture = await start();
    const { fake } = fixture;
    await fake.pushFiles(REPO, 'feature', { 'f.txt': 'f\n' }, { from: 'main' });
    const { number } = await fake.openPullRequest(REPO, { head: 'feature', title: 'Feature' });
    await fake.closePullRequest(REPO, number, { merge: true, sender: 'octo' });
    await fake.idle();

    const merge = (await fake.git(REPO, 'rev-parse', 'main')).trim();
    expect(payloadsOf(fixture, 'push').at(-1)).toMatchObject({ ref: 'refs/heads/main', after: merge });
    expect(fake.ciRuns(REPO, { headSha: merge, event: 'push' })).toHaveLength(1);
  });
});
