import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A bare repository standing in for GitHub's copy, and clones of it standing in for job checkouts. */
export interface TempRemote {
  /** Path of the bare repository (the clones' `origin`). */
  bare: string;
  /** Runs git in the bare repository. */
  git(...args: string[]): string;
  /** A fresh full clone, as `actions/checkout` with fetch-depth 0 leaves it. */
  clone(): string;
  remove(): void;
}

/** Creates a bare repository whose `main` holds `files` in one commit. */
export function createTempRemote(files: Record<string, string> = { 'README.md': '# remote\n' }): TempRemote {
  const root = mkdtempSync(join(tmpdir(), 'cluster-test-remote-'));
  const bare = join(root, 'origin.git');
  const run = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(
      /\n$/,
      '',
    );
  run(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = join(root, 'seed');
  run(root, 'init', '--quiet', '--initial-branch=main', seed);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), text);
  }
  run(seed, 'add', '-A');
  run(
    seed,
    '-c',
    'user.name=Seed',
    '-c',
    'user.email=seed@example.com',
    'commit',
    '--quiet',
    '-m',
    'initial commit',
  );
  run(seed, 'push', '--quiet', bare, 'main');
  let clones = 0;
  return {
    bare,
    git: (...args) => run(bare, ...args),
    clone() {
      const dir = join(root, `clone-${++clones}`);
      run(root, 'clone', '--quiet', bare, dir);
      run(dir, 'config', 'user.name', 'Job');
      run(dir, 'config', 'user.email', 'job@example.com');
      return dir;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
