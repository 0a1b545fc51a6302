import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_BUNDLE, type ActionBuild, buildAction, REPOSITORY_ROOT } from '../../scripts/build-action.ts';

const STALE = 'dist/ is stale: run npm run build:action and commit dist/';
const committedDirectory = join(REPOSITORY_ROOT, dirname(ACTION_BUNDLE));

describe('dist/', () => {
  let directory: string;
  let built: ActionBuild;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'claude-cluster-dist-'));
    built = await buildAction(join(directory, basename(ACTION_BUNDLE)));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('holds byte for byte what the build makes of the current sources', async () => {
    for (const file of built.files) {
      const name = relative(directory, file);
      const committed = await readFile(join(committedDirectory, name)).catch(() => Buffer.alloc(0));
      const fresh = await readFile(file);
      expect(committed.equals(fresh), `${STALE} (${name} differs)`).toBe(true);
    }
  });

  it('holds nothing but what the build writes', async () => {
    const committed = (
      await readdir(committedDirectory, { recursive: true, withFileTypes: true }).catch(() => [])
    )
      .filter((entry) => entry.isFile())
      .map((entry) => relative(committedDirectory, join(entry.parentPath, entry.name)))
      .sort();
    expect(committed, STALE).toEqual(built.files.map((file) => relative(directory, file)).sort());
  });

  it('names every bundled package with its license in licenses.txt', async () => {
    const licenses = await readFile(join(committedDirectory, 'licenses.txt'), 'utf8');
    expect(licenses).toMatch(/^@actions\/core@\S+ \(license: MIT\)/m);
  });

  describe('index.js run by Node as the runner does, without inputs', () => {
    it('loads every bundled package and fails the step naming the `mode` input', async () => {
      const run = await promisify(execFile)(process.execPath, [join(REPOSITORY_ROOT, ACTION_BUNDLE)], {
        cwd: directory,
        env: { PATH: process.env.PATH ?? '', HOME: directory },
      }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(run.stderr).not.toMatch(/Dynamic require|ERR_MODULE_NOT_FOUND|ReferenceError/);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^::error::.*`mode`/m);
    });
  });
});
