import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHubOptions } from './fake-github.ts';
import { type FakeFixture, fakeOctokit, startFakeFixture, statusOf } from './fake-github-fixture.ts';

const REPO = 'octo/widgets';
const where = { owner: 'octo', repo: 'widgets' };

/** A step script calling the REST API with the job's token: `node act.mjs METHOD path [JSON]`; prints status and message. */
const ACT_SCRIPT = `const [method, path, body] = process.argv.slice(2);
const url = \`\${process.env.GITHUB_API_URL}/repos/\${process.env.GITHUB_REPOSITORY}/\${path}\`;
const response = await fetch(url, {
  method,
  headers: { authorization: \`token \${process.env.GITHUB_TOKEN}\`, 'content-type': 'application/json' },
  body,
});
const data = await response.json().catch(() => ({}));
console.log(\`\${method} \${path} \${response.status} \${data.message ?? ''}\`.trim());
`;

/** A workflow on `issues: labeled` whose one job runs `steps` with the job's token in GITHUB_TOKEN. */
const labeledWorkflow = (permissions: string, steps: string[]) =>
  `name: act\non:\n  issues:\n    types: [labeled]\n${permissions}jobs:\n  main:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - env:\n          GITHUB_TOKEN: \${{ github.token }}\n        run: |\n${steps.map((step) => `          ${step}\n`).join('')}`;

let f: FakeFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function start(workflow: string | undefined, options: FakeGitHubOptions = {}) {
  f = await startFakeFixture(
    {
      files: {
        'README.md': '# widgets\n',
        'act.mjs': ACT_SCRIPT,
        ...(workflow === undefined ? {} : { '.github/workflows/act.yml': workflow }),
      },
    },
    options,
  );
  return f;
}

/** Labels issue 1 so the workflow runs, and returns its job's log. */
async function runLabeled(fixture: FakeFixture): Promise<string> {
  const issue = fixture.fake.createIssue(REPO, { title: 'Tidy up' });
  await fixture.fake.labelIssue(REPO, issue.number, 'go');
  await fixture.fake.idle();
  const [run] = fixture.fake.workflowRuns.filter(
    (candidate) => candidate.path === '.github/workflows/act.yml',
  );
  expect(run).toBeDefined();
  return fixture.fake.state
    .runJobs(run?.id ?? 0)
    .map((job) => job.log)
    .join('');
}

describe('token permissions in the fake GitHub', () => {
  describe('a job’s GITHUB_TOKEN', () => {
    it('may do only what its job’s permissions grant: read is not write, and unlisted scopes are none', async () => {
      const fixture = await start(
        labeledWorkflow(
          // The job's own permissions replace the workflow's entirely.
          'permissions:\n  issues: write\n  pull-requests: write\n  contents: read\n',
          [
            'node act.mjs GET issues/1',
            `node act.mjs POST issues/1/comments '{"body":"hello"}'`,
            'node act.mjs GET pulls',
          ],
        ).replace('    runs-on:', '    permissions:\n      contents: read\n      issues: read\n    runs-on:'),
      );
      const log = await runLabeled(fixture);

      expect(log).toContain('GET issues/1 200');
      expect(log).toContain('POST issues/1/comments 403 Resource not accessible by integration');
      expect(log).toContain('GET pulls 403 Resource not accessible by integration');
      expect(fixture.fake.state.issueComments(REPO, 1)).toEqual([]);
    });

    it('gets the workflow’s permissions when its job has none, and contents and packages read when neither has', async () => {
      const granted = await start(
        labeledWorkflow('permissions:\n  issues: write\n  contents: read\n', [
          `node act.mjs POST issues/1/comments '{"body":"hello"}'`,
        ]),
      );
      expect(await runLabeled(granted)).toContain('POST issues/1/comments 201');
      await granted.close();

      f = await start(
        labeledWorkflow('', [
          `node act.mjs POST issues/1/comments '{"body":"hello"}'`,
          'node act.mjs GET branches/main',
        ]),
      );
      const log = await runLabeled(f);
      expect(log).toContain('POST issues/1/comments 403 Resource not accessible by integration');
      expect(log).toContain('GET branches/main 200');
    });

    it('pushes over git only with contents: write', async () => {
      const push = (name: string) =>
        `git -c user.name=ci -c user.email=ci@example.com commit -q --allow-empty -m ${name} && git push -q origin HEAD:refs/heads/${name}`;
      const readOnly = await start(
        labeledWorkflow('permissions:\n  contents: read\n', [`${push('read-only')} || echo "push refused"`]),
      );
      expect(await runLabeled(readOnly)).toMatch(
        /Permission to octo\/widgets\.git denied to github-actions\[bot\][\s\S]*push refused/,
      );
      expect(await readOnly.fake.git(REPO, 'branch', '--list', 'read-only')).toBe('');
      await readOnly.close();

      f = await start(labeledWorkflow('permissions:\n  contents: write\n', [push('writer')]));
      await runLabeled(f);
      expect(await f.fake.git(REPO, 'branch', '--list', 'writer')).toContain('writer');
    });
  });

  describe('an installation token', () => {
    it('has the App’s permissions, so a scope the App lacks is refused with 403', async () => {
      const fixture = await start(undefined, { app: { permissions: { issues: 'read', contents: 'read' } } });
      fixture.fake.createIssue(REPO, { title: 'Tidy up' });
      expect((await fixture.octokit.rest.issues.get({ ...where, issue_number: 1 })).status).toBe(200);
      expect(
        await statusOf(fixture.octokit.rest.issues.createComment({ ...where, issue_number: 1, body: 'x' })),
      ).toEqual({ status: 403, message: 'Resource not accessible by integration' });
      expect(await statusOf(fixture.octokit.rest.pulls.list(where))).toEqual({
        status: 403,
        message: 'Resource not accessible by integration',
      });
    });

    it('by default has what app.yml asks for, which lets the App comment', async () => {
      const fixture = await start(undefined);
      fixture.fake.createIssue(REPO, { title: 'Tidy up' });
      const created = await fixture.octokit.rest.issues.createComment({
        ...where,
        issue_number: 1,
        body: 'x',
      });
      expect(created.status).toBe(201);
    });
  });

  describe('check runs', () => {
    it('are created only by a GitHub App: a user’s token gets 403', async () => {
      const fixture = await start(undefined);
      const head_sha = (await fixture.fake.git(REPO, 'rev-parse', 'main')).trim();
      const user = fakeOctokit(fixture.fake, fixture.fake.userToken('octo'));
      expect(await statusOf(user.rest.checks.create({ ...where, name: 'ci', head_sha }))).toEqual({
        status: 403,
        message: 'You must authenticate via a GitHub App.',
      });
      expect((await fixture.octokit.rest.checks.create({ ...where, name: 'ci', head_sha })).status).toBe(201);
    });

    it('are updated only by the app that created them: a job’s token cannot update the App’s check run', async () => {
      const fixture = await start(undefined);
      const head_sha = (await fixture.fake.git(REPO, 'rev-parse', 'main')).trim();
      const { data: check } = await fixture.octokit.rest.checks.create({
        ...where,
        name: 'cluster',
        head_sha,
      });
      await fixture.fake.pushFiles(REPO, 'main', {
        '.github/workflows/act.yml': labeledWorkflow('permissions:\n  checks: write\n  contents: read\n', [
          `node act.mjs PATCH check-runs/${check.id} '{"status":"in_progress"}'`,
          `node act.mjs POST check-runs '{"name":"job check","head_sha":"${head_sha}"}'`,
        ]),
      });
      const log = await runLabeled(fixture);

      expect(log).toContain(
        `PATCH check-runs/${check.id} 403 Invalid app_id \`15368\` - check run can only be modified by the GitHub App that created it.`,
      );
      expect(log).toContain('POST check-runs 201');
      const { data: mine } = await fixture.octokit.rest.checks.update({
        ...where,
        check_run_id: check.id,
        status: 'completed',
        conclusion: 'success',
      });
      expect(mine.status).toBe('completed');
    });
  });
});
