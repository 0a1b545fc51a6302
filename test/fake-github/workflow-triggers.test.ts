import { afterEach, describe, expect, it } from 'vitest';
import { type FakeFixture, startFakeFixture } from './fake-github-fixture.ts';

const REPO = 'octo/widgets';

/** A step script calling the fake's REST API with the job's GITHUB_TOKEN: `node act.mjs METHOD path JSON`. */
const ACT_SCRIPT = `const [method, path, body] = process.argv.slice(2);
const url = \`\${process.env.GITHUB_API_URL}/repos/\${process.env.GITHUB_REPOSITORY}/\${path}\`;
const response = await fetch(url, {
  method,
  headers: { authorization: \`token \${process.env.GITHUB_TOKEN}\`, 'content-type': 'application/json' },
  body,
});
console.log(method, path, response.status);
process.exitCode = response.ok ? 0 : 1;
`;

const workflow = (name: string, on: string, steps: string, extra = '') =>
  `name: ${name}\non:\n${on}\n${extra}jobs:\n  main:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
const echo = (text: string) => `      - run: echo "${text}"\n`;

let f: FakeFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function start(workflows: Record<string, string>, files: Record<string, string> = {}) {
  f = await startFakeFixture({
    files: {
      'README.md': '# widgets\n',
      ...Object.fromEntries(
        Object.entries(workflows).map(([name, text]) => [`.github/workflows/${name}`, text]),
      ),
      ...files,
    },
  });
  return f.fake;
}

/** Runs of one workflow file, oldest first. */
function runsOf(file: string) {
  return f!.fake.state.runs(REPO).filter((run) => run.path === `.github/workflows/${file}`);
}
function logOf(file: string, index = 0): string {
  const run = runsOf(file)[index];
  return run === undefined
    ? ''
    : f!.fake.state
        .runJobs(run.id)
        .map((job) => job.log)
        .join('');
}

describe('workflows started by events in the fake GitHub', () => {
  describe('a workflow on issues labeled', () => {
    it('runs when a person labels an issue, with the event’s name, ref and payload', async () => {
      const fake = await start({
        'labeled.yml': workflow(
          'on label',
          '  issues:\n    types: [labeled]',
          echo(`event=$GITHUB_EVENT_NAME ref=$GITHUB_REF label=\${{ github.event.label.name }}`) +
            '      - run: grep -q \'"action":"labeled"\' "$GITHUB_EVENT_PATH"\n',
        ),
        'opened.yml': workflow('on open', '  issues:\n    types: opened', echo('opened')),
      });
      const issue = fake.createIssue(REPO, { title: 'Tidy up' });
      await fake.labelIssue(REPO, issue.number, 'cleanup');
      await fake.idle();

      expect(runsOf('labeled.yml').map((run) => [run.event, run.name, run.conclusion])).toEqual([
        ['issues', 'Tidy up', 'success'],
      ]);
      expect(logOf('labeled.yml')).toContain('event=issues ref=refs/heads/main label=cleanup');
      expect(runsOf('opened.yml')).toEqual([]);
    });

    it('skips a job whose if: is false for the event, and the run with it', async () => {
      const fake = await start({
        'labeled.yml': workflow('on label', '  issues:\n    types: [labeled]', echo('ran')).replace(
          '    runs-on:',
          "    if: github.event.label.name == 'cluster'\n    runs-on:",
        ),
      });
      const issue = fake.createIssue(REPO, { title: 'Tidy up' });
      await fake.labelIssue(REPO, issue.number, 'cleanup');
      await fake.idle();

      const [run] = runsOf('labeled.yml');
      expect(fake.state.runJobs(run!.id).map((job) => job.conclusion)).toEqual(['skipped']);
      expect(run?.conclusion).toBe('skipped');
    });
  });

  describe('events caused with a workflow’s GITHUB_TOKEN', () => {
    it('start no workflow, while the same events caused by a person do', async () => {
      const fake = await start(
        {
          'act.yml': workflow(
            'act',
            '  issues:\n    types: [labeled]',
            '      - uses: actions/checkout@v5\n' +
              `      - env:\n          GITHUB_TOKEN: \${{ github.token }}\n` +
              `        run: |\n          node act.mjs POST issues/1/comments '{"body":"from the workflow"}'\n` +
              `          node act.mjs POST pulls '{"title":"From the workflow","head":"work","base":"main"}'\n`,
            'permissions:\n  contents: read\n  issues: write\n  pull-requests: write\n',
          ),
          'comments.yml': workflow('comments', '  issue_comment:\n    types: [created]', echo('comment')),
          'ci.yml': workflow('ci', '  pull_request:', echo('testing')),
        },
        { 'act.mjs': ACT_SCRIPT },
      );
      await fake.pushFiles(REPO, 'work', { 'work.txt': 'work\n' }, { from: 'main' });
      await fake.pushFiles(REPO, 'other', { 'other.txt': 'other\n' }, { from: 'main' });
      const issue = fake.createIssue(REPO, { title: 'Tidy up' });
      await fake.labelIssue(REPO, issue.number, 'cleanup');
      await fake.idle();

      expect(logOf('act.yml')).toMatch(/POST pulls 201/);
      expect(fake.state.issueComments(REPO, 1).map((comment) => comment.user.login)).toEqual([
        'github-actions[bot]',
      ]);
      expect(fake.state.pulls(REPO).map((pull) => pull.user.login)).toEqual(['github-actions[bot]']);
      expect(runsOf('comments.yml')).toEqual([]);
      expect(runsOf('ci.yml')).toEqual([]);

      await fake.comment(REPO, issue.number, 'Thanks!');
      await fake.openPullRequest(REPO, { head: 'other', title: 'Other' });
      await fake.idle();
      expect(runsOf('comments.yml').map((run) => [run.event, run.actor.login])).toEqual([
        ['issue_comment', 'octocat'],
      ]);
      expect(runsOf('ci.yml').map((run) => [run.event, run.headBranch, run.name])).toEqual([
        ['pull_request', 'other', 'Other'],
      ]);
      expect(logOf('ci.yml')).toContain('testing');
    });
  });

  describe('a workflow on pull_request with a branches filter', () => {
    it('runs for pull requests into a matching base only, on opened and not on closed', async () => {
      const fake = await start({
        'ci.yml': workflow('ci', "  pull_request:\n    branches: ['release/**']", echo('testing')),
      });
      await fake.pushFiles(REPO, 'release/1.0', { 'r.txt': 'r\n' }, { from: 'main' });
      await fake.pushFiles(REPO, 'fix', { 'fix.txt': 'fix\n' }, { from: 'main' });
      await fake.openPullRequest(REPO, { head: 'fix', base: 'release/1.0', title: 'Fix the release' });
      const { number } = await fake.openPullRequest(REPO, { head: 'fix', title: 'Fix main' });
      await fake.closePullRequest(REPO, number, { merge: false });
      await fake.idle();

      expect(runsOf('ci.yml').map((run) => run.name)).toEqual(['Fix the release']);
    });
  });

  describe('a workflow on workflow_run', () => {
    const dispatched = `name: build\non:\n  workflow_dispatch:\njobs:\n  main:\n    runs-on: ubuntu-latest\n    steps:\n${echo('build')}`;

    it('runs when a run of a workflow it names completes, even one dispatched with a workflow token', async () => {
      const fake = await start(
        {
          'build.yml': dispatched,
          'dispatcher.yml': workflow(
            'dispatcher',
            '  issues:\n    types: [labeled]',
            '      - uses: actions/checkout@v5\n' +
              `      - env:\n          GITHUB_TOKEN: \${{ github.token }}\n        run: node act.mjs POST actions/workflows/build.yml/dispatches '{"ref":"main"}'\n`,
            'permissions:\n  contents: read\n  actions: write\n',
          ),
          'after-build.yml': workflow(
            'after build',
            '  workflow_run:\n    workflows: [build]\n    types: [completed]',
            echo(`after \${{ github.event.workflow_run.name }} \${{ github.event.workflow_run.conclusion }}`),
          ),
          'after-other.yml': workflow(
            'after other',
            '  workflow_run:\n    workflows: [other]\n    types: [completed]',
            echo('other'),
          ),
        },
        { 'act.mjs': ACT_SCRIPT },
      );
      const issue = fake.createIssue(REPO, { title: 'Build it' });
      await fake.labelIssue(REPO, issue.number, 'build');
      await fake.idle();

      expect(runsOf('build.yml').map((run) => [run.event, run.actor.login])).toEqual([
        ['workflow_dispatch', 'github-actions[bot]'],
      ]);
      expect(runsOf('after-build.yml').map((run) => [run.event, run.conclusion])).toEqual([
        ['workflow_run', 'success'],
      ]);
      expect(logOf('after-build.yml')).toContain('after build success');
      expect(runsOf('after-other.yml')).toEqual([]);
    });

    it('stops a chain of workflow_run workflows after three links, as GitHub does', async () => {
      const fake = await start({
        'build.yml': dispatched,
        'chain.yml': workflow(
          'chain',
          '  workflow_run:\n    workflows: [build, chain]\n    types: [completed]',
          echo('link'),
        ),
      });
      await f!.octokit.rest.actions.createWorkflowDispatch({
        owner: 'octo',
        repo: 'widgets',
        workflow_id: 'build.yml',
        ref: 'main',
      });
      await fake.idle();

      expect(runsOf('chain.yml').map((run) => run.chainDepth)).toEqual([1, 2, 3]);
    });
  });

  describe('the zero-hosting job’s steps', () => {
    it('link the claude-cluster checkout to this working tree, run on the Node running the tests, and install nothing', async () => {
      const fake = await start({
        'app.yml': workflow(
          'app',
          '  issues:\n    types: [labeled]',
          '      - uses: actions/checkout@v5\n' +
            '        with: { repository: claude-cluster/claude-cluster, ref: v1, path: .claude-cluster }\n' +
            '      - uses: actions/setup-node@v5\n        with: { node-version: 24 }\n' +
            '      - working-directory: .claude-cluster\n        run: npm ci --omit=dev\n' +
            '      - working-directory: .claude-cluster\n' +
            '        run: node -e "console.log(process.version, require(\'./package.json\').name)"\n',
        ),
      });
      const issue = fake.createIssue(REPO, { title: 'Tidy up' });
      await fake.labelIssue(REPO, issue.number, 'cleanup');
      await fake.idle();

      expect(runsOf('app.yml').map((run) => run.conclusion)).toEqual(['success']);
      expect(logOf('app.yml')).toContain('installs no dependencies');
      expect(logOf('app.yml')).toContain(`${process.version} claude-cluster`);
    });
  });

  describe('a workflow file the fake cannot read', () => {
    it('gets a failed run naming the problem when an event it names happens', async () => {
      const fake = await start({
        'broken.yml': 'name: broken\non:\n  issues:\n    paths: [src/**]\njobs: {}\n',
      });
      const issue = fake.createIssue(REPO, { title: 'Tidy up' });
      await fake.labelIssue(REPO, issue.number, 'cleanup');
      await fake.idle();

      const [run] = runsOf('broken.yml');
      expect(run?.conclusion).toBe('failure');
      expect(run?.problems.join('\n')).toMatch(/on\.issues: .*paths/);
    });
  });
});
