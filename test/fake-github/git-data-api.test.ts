import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeFixture, startFakeFixture, statusOf } from './fake-github-fixture.ts';

let f: FakeFixture;
const where = { owner: 'octo', repo: 'widgets' };
beforeEach(async () => {
  f = await startFakeFixture({ files: { 'README.md': '# widgets\n', 'src/app.ts': 'export {};\n' } });
});
afterEach(() => f.close());

const bare = (...args: string[]) => f.fake.git('octo/widgets', ...args);

/** A new commit on top of `parent` with the same tree, made through the API. */
async function childOf(parent: string, message: string): Promise<string> {
  const tree = await bare('rev-parse', `${parent}^{tree}`);
  const { data } = await f.octokit.rest.git.createCommit({ ...where, message, tree, parents: [parent] });
  return data.sha;
}

describe('the fake GitHub git database API', () => {
  describe('creating a ref', () => {
    it('writes the ref into the bare repository', async () => {
      const main = await bare('rev-parse', 'main');
      const { status, data } = await f.octokit.rest.git.createRef({
        ...where,
        ref: 'refs/heads/cluster/42/integration',
        sha: main,
      });
      expect(status).toBe(201);
      expect(data).toMatchObject({
        ref: 'refs/heads/cluster/42/integration',
        object: { sha: main, type: 'commit' },
      });
      expect(await bare('rev-parse', 'cluster/42/integration')).toBe(main);
    });

    it('answers 422 "Reference already exists" the second time, so the first writer wins', async () => {
      const main = await bare('rev-parse', 'main');
      await f.octokit.rest.git.createRef({ ...where, ref: 'refs/heads/claim', sha: main });
      const other = await childOf(main, 'other');
      expect(
        await statusOf(f.octokit.rest.git.createRef({ ...where, ref: 'refs/heads/claim', sha: other })),
      ).toEqual({
        status: 422,
        message: 'Reference already exists',
      });
      expect(await bare('rev-parse', 'claim')).toBe(main);
    });

    it('answers 422 for a ref that would also be a directory of another ref', async () => {
      const main = await bare('rev-parse', 'main');
      await f.octokit.rest.git.createRef({ ...where, ref: 'refs/heads/cluster/42/tasks/a', sha: main });
      const refused = await statusOf(
        f.octokit.rest.git.createRef({ ...where, ref: 'refs/heads/cluster/42', sha: main }),
      );
      expect(refused.status).toBe(422);
    });

    it('answers 422 "Object does not exist" for an unknown sha', async () => {
      const refused = await statusOf(
        f.octokit.rest.git.createRef({ ...where, ref: 'refs/heads/x', sha: 'f'.repeat(40) }),
      );
      expect(refused).toEqual({ status: 422, message: 'Object does not exist' });
    });
  });

  describe('updating a ref without force', () => {
    it('moves a branch forward to a descendant', async () => {
      const main = await bare('rev-parse', 'main');
      const next = await childOf(main, 'next');
      const { data } = await f.octokit.rest.git.updateRef({
        ...where,
        ref: 'heads/main',
        sha: next,
        force: false,
      });
      expect(data.object.sha).toBe(next);
      expect(await bare('rev-parse', 'main')).toBe(next);
    });

    it('answers 422 "Update is not a fast forward" for a commit that does not descend from it, and leaves it', async () => {
      const main = await bare('rev-parse', 'main');
      const ahead = await childOf(main, 'ahead');
      await f.octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: ahead });
      const sibling = await childOf(main, 'sibling');
      expect(
        await statusOf(f.octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: sibling })),
      ).toEqual({
        status: 422,
        message: 'Update is not a fast forward',
      });
      expect(await bare('rev-parse', 'main')).toBe(ahead);
    });

    it('with force, moves the branch to any commit', async () => {
      const main = await bare('rev-parse', 'main');
      const ahead = await childOf(main, 'ahead');
      await f.octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: ahead });
      await f.octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: main, force: true });
      expect(await bare('rev-parse', 'main')).toBe(main);
    });

    it('answers 422 "Reference does not exist" for a missing branch', async () => {
      const main = await bare('rev-parse', 'main');
      expect(
        await statusOf(f.octokit.rest.git.updateRef({ ...where, ref: 'heads/nope', sha: main })),
      ).toEqual({
        status: 422,
        message: 'Reference does not exist',
      });
    });
  });

  describe('reading and deleting refs', () => {
    it('gets one ref, lists refs by prefix and deletes one', async () => {
      const main = await bare('rev-parse', 'main');
      for (const name of ['cluster/42/integration', 'cluster/42/tasks/a', 'cluster/7/integration']) {
        await f.octokit.rest.git.createRef({ ...where, ref: `refs/heads/${name}`, sha: main });
      }
      const one = await f.octokit.rest.git.getRef({ ...where, ref: 'heads/cluster/42/tasks/a' });
      expect(one.data.object.sha).toBe(main);
      const listed = await f.octokit.rest.git.listMatchingRefs({ ...where, ref: 'heads/cluster/42/' });
      expect(listed.data.map((ref) => ref.ref)).toEqual([
        'refs/heads/cluster/42/integration',
        'refs/heads/cluster/42/tasks/a',
      ]);
      expect((await f.octokit.rest.git.deleteRef({ ...where, ref: 'heads/cluster/42/tasks/a' })).status).toBe(
        204,
      );
      expect(
        (await statusOf(f.octokit.rest.git.getRef({ ...where, ref: 'heads/cluster/42/tasks/a' }))).status,
      ).toBe(404);
      expect(
        (await statusOf(f.octokit.rest.git.deleteRef({ ...where, ref: 'heads/cluster/42/tasks/a' }))).status,
      ).toBe(422);
    });
  });

  describe('commits, branches, trees and comparisons', () => {
    it('lists the commits of a branch newest first with messages and parents', async () => {
      const first = await bare('rev-parse', 'main');
      await f.fake.pushFiles('octo/widgets', 'main', { 'a.txt': 'a\n' }, { message: 'Add a' });
      const { data } = await f.octokit.rest.repos.listCommits({ ...where, sha: 'main' });
      expect(data.map((commit) => commit.commit.message)).toEqual(['Add a', 'initial commit']);
      expect(data[0]?.parents.map((parent) => parent.sha)).toEqual([first]);
      const commit = await f.octokit.rest.git.getCommit({ ...where, commit_sha: first });
      expect(commit.data).toMatchObject({ message: 'initial commit', parents: [] });
    });

    it('gets a branch and a recursive tree', async () => {
      const branch = await f.octokit.rest.repos.getBranch({ ...where, branch: 'main' });
      expect(branch.data.commit.sha).toBe(await bare('rev-parse', 'main'));
      const tree = await f.octokit.rest.git.getTree({ ...where, tree_sha: 'main', recursive: 'true' });
      expect(tree.data.tree.map((entry) => `${entry.type} ${entry.path}`)).toEqual([
        'tree .github',
        'tree .github/workflows',
        'blob .github/workflows/claude-cluster.yml',
        'blob README.md',
        'tree src',
        'blob src/app.ts',
      ]);
    });

    it('compares two branches from git: ahead and behind counts, commits and changed files', async () => {
      await f.fake.pushFiles(
        'octo/widgets',
        'feature',
        { 'src/app.ts': 'export const x = 1;\n', 'new.txt': 'n\n' },
        { from: 'main', message: 'Feature' },
      );
      await f.fake.pushFiles('octo/widgets', 'main', { 'README.md': '# changed\n' }, { message: 'Docs' });
      const { data } = await f.octokit.rest.repos.compareCommitsWithBasehead({
        ...where,
        basehead: 'main...feature',
      });
      expect(data).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1, total_commits: 1 });
      expect(data.commits.map((commit) => commit.commit.message)).toEqual(['Feature']);
      expect(data.files?.map((file) => [file.filename, file.status, file.additions, file.deletions])).toEqual(
        [
          ['new.txt', 'added', 1, 0],
          ['src/app.ts', 'modified', 1, 1],
        ],
      );
    });
  });
});
