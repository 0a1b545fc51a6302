import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github.ts';
import { expectTrafficMatchesSpec } from './expect-spec-clean.ts';
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
    collaborators: { octocat: 'write' },
  });
});
afterEach(async () => {
  await app.close();
  await fake.close();
  expectTrafficMatchesSpec(fake);
});

const plan = (tasks: string) => `Please do this.\n\n\`\`\`cluster\ntasks:\n${tasks}\`\`\`\n`;

/** Every job of every workflow run in the repository with its conclusion, and the logs of failed ones. */
function jobs() {
  return fake.state.runs(REPO).flatMap((run) =>
    fake.state.runJobs(run.id).map((job) => ({
      run: run.name,
      conclusion: job.conclusion,
      log: job.conclusion === 'failure' ? job.log : '',
    })),
  );
}

describe('a task that edits a workflow file', () => {
  it('lands its other work and the pull request says which workflow change to apply, with the patch', async () => {
    const issue = fake.createIssue(REPO, {
      title: 'Add a workflow',
      body: plan(
        '  - { id: ci, title: Extra CI, prompt: "@write .github/workflows/extra.yml = name: extra\\\\non: push\\n@write src/app.txt = app" }\n' +
          '  - { id: docs, title: Docs, prompt: "@write docs.md = docs" }\n',
      ),
    });
    await fake.labelIssue(REPO, issue.number, 'cluster');
    await fake.idle({ timeoutMs: 120_000 });

    expect(fake.serverErrors).toEqual([]);
    expect(jobs().filter((job) => job.conclusion === 'failure')).toEqual([]);
    const pulls = fake.state.pulls(REPO);
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    const head = pull.pull!.head.ref;
    expect(await fake.git(REPO, 'show', `${head}:src/app.txt`)).toBe('app');
    expect(await fake.git(REPO, 'show', `${head}:docs.md`)).toBe('docs');
    await expect(fake.git(REPO, 'show', `${head}:.github/workflows/extra.yml`)).rejects.toThrow();

    expect(pull.body).toContain('2 of 2 tasks integrated. 1 change was withheld');
    expect(pull.body).toContain('## Changes a maintainer must apply');
    expect(pull.body).toContain(
      "- `.github/workflows/extra.yml`: changes a workflow file; a job's token lacks the `workflows` permission",
    );
    expect(pull.body).toContain(
      '```diff\n  diff --git a/.github/workflows/extra.yml b/.github/workflows/extra.yml\n  new file mode 100644',
    );
    expect(pull.body).toContain('  +name: extra\n  +on: push\n');
    expect(pull.body).toContain('`git apply <file>`');
    const checks = [...fake.state.checkRuns.values()].filter(
      (check) => check.repoFullName === REPO && check.name === 'claude-cluster',
    );
    expect(checks.map((check) => check.output.title)).toContain(
      '2 of 2 tasks integrated. 1 change was withheld: a maintainer must apply it (see "Changes a maintainer must apply").',
    );
  });
});
