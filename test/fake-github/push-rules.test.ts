import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeGitHubOptions } from './fake-github.ts';
import { type FakeFixture, startFakeFixture, statusOf } from './fake-github-fixture.ts';

const run = promisify(execFile);
const REPO = 'octo/widgets';
const where = { owner: 'octo', repo: 'widgets' };
const WORKFLOW_REFUSAL =
  'refusing to allow a GitHub App to create or update workflow `.github/workflows/x.yml` without `workflows` permission';

let f: FakeFixture | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await f?.close();
  f = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(options: FakeGitHubOptions = {}): Promise<FakeFixture> {
  f = await startFakeFixture({}, options);
  return f;
}

/** A clone of the repository over HTTP with `token`; `git(...)` runs git in it with that token. */
async function cloneWith(fixture: FakeFixture, token: string) {
  const dir = await mkdtemp(join(tmpdir(), 'push-rules-'));
  dirs.push(dir);
  const auth = `http.extraHeader=Authorization: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const git = async (...args: string[]) =>
    run('git', ['-c', auth, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
  await git('clone', '-q', fixture.fake.cloneUrl(REPO), '.');
  /** Commits `files` and pushes HEAD to `branch`; resolves with git's stderr and whether it succeeded. */
  const commitAndPush = async (branch: string, files: Record<string, string | Buffer>) => {
    for (const [path, content] of Object.entries(files)) {
      await run('mkdir', ['-p', join(dir, path, '..')]);
      await writeFile(join(dir, path), content);
    }
    await git('add', '-A');
    await git('commit', '-q', '-m', `change ${branch}`);
    return git('push', 'origin', `HEAD:refs/heads/${branch}`).then(
      ({ stderr }) => ({ ok: true, stderr }),
      (error: { stderr: string }) => ({ ok: false, stderr: error.stderr }),
    );
  };
  return { git, commitAndPush };
}

const branchExists = async (fixture: FakeFixture, branch: string) =>
  (await fixture.fake.git(REPO, 'branch', '--list', branch)).trim() !== '';

describe('pushes the fake GitHub refuses, as GitHub does', () => {
  describe('a change under .github/workflows/', () => {
    it('is refused over git for the App’s token without the workflows permission, with GitHub’s message', async () => {
      const fixture = await start();
      const clone = await cloneWith(fixture, fixture.fake.installationToken());
      const pushed = await clone.commitAndPush('edit-ci', {
        '.github/workflows/x.yml': 'name: x\n',
        'a.txt': 'a\n',
      });

      expect(pushed.ok).toBe(false);
      expect(pushed.stderr).toContain(WORKFLOW_REFUSAL);
      expect(await branchExists(fixture, 'edit-ci')).toBe(false);
    });

    it('is accepted from an App granted workflows: write, and from a person', async () => {
      const app = await start({
        app: { permissions: { contents: 'write', workflows: 'write', metadata: 'read' } },
      });
      const byApp = await cloneWith(app, app.fake.installationToken());
      expect((await byApp.commitAndPush('edit-ci', { '.github/workflows/x.yml': 'name: x\n' })).ok).toBe(
        true,
      );
      await app.close();

      const person = await start();
      const byPerson = await cloneWith(person, person.fake.userToken('octo'));
      expect((await byPerson.commitAndPush('edit-ci', { '.github/workflows/x.yml': 'name: x\n' })).ok).toBe(
        true,
      );
    });

    it('is refused through the git data API with 422 when a ref would point at the change', async () => {
      const fixture = await start();
      const fake = fixture.fake;
      // A commit that adds a workflow file, written straight into the repository (as a blob, tree and commit API would).
      const main = (await fake.git(REPO, 'rev-parse', 'main')).trim();
      const sha = (
        await run(
          'sh',
          [
            '-c',
            `set -e; b=$(printf 'name: x\\n' | git hash-object -w --stdin); w=$(printf '100644 blob %s\\tx.yml\\n' $b | git mktree); g=$(printf '040000 tree %s\\tworkflows\\n' $w | git mktree); t=$( (git ls-tree ${main} | grep -v '\\t.github$'; printf '040000 tree %s\\t.github\\n' $g) | git mktree); git -c user.name=t -c user.email=t@example.com commit-tree $t -p ${main} -m ci`,
          ],
          { cwd: fake.repository(REPO).bareDir },
        )
      ).stdout.trim();

      expect(
        await statusOf(fixture.octokit.rest.git.createRef({ ...where, ref: 'refs/heads/edit-ci', sha })),
      ).toEqual({
        status: 422,
        message: WORKFLOW_REFUSAL,
      });
      expect(
        await statusOf(fixture.octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha })),
      ).toEqual({
        status: 422,
        message: WORKFLOW_REFUSAL,
      });
      expect((await fake.git(REPO, 'rev-parse', 'main')).trim()).toBe(main);
      expect(await branchExists(fixture, 'edit-ci')).toBe(false);
    });
  });

  describe('a file over the size limit', () => {
    it('is refused with GH001 and GitHub’s message naming the file and both sizes', async () => {
      const fixture = await start({ maxFileBytes: 1024 * 1024 });
      const clone = await cloneWith(fixture, fixture.fake.installationToken());
      const pushed = await clone.commitAndPush('big', { 'data/big.bin': Buffer.alloc(1.5 * 1024 * 1024, 1) });

      expect(pushed.ok).toBe(false);
      expect(pushed.stderr).toContain(
        "File data/big.bin is 1.50 MB; this exceeds GitHub's file size limit of 1.00 MB",
      );
      expect(pushed.stderr).toContain('GH001: Large files detected.');
      expect(await branchExists(fixture, 'big')).toBe(false);
    });

    it('lets a file at the limit through', async () => {
      const fixture = await start({ maxFileBytes: 1024 * 1024 });
      const clone = await cloneWith(fixture, fixture.fake.installationToken());
      expect((await clone.commitAndPush('fits', { 'fits.bin': Buffer.alloc(1024 * 1024, 1) })).ok).toBe(true);
    });
  });
});
