import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A scratch git repository with one commit on `main`. */
export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  remove(): void;
}

/** Creates a repository holding `files` in one commit on `main`, with a local identity so commits work anywhere. */
export function createTempRepo(files: Record<string, string> = { 'README.md': '# scratch\n' }): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-test-repo-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(
      /\n$/,
      '',
    );
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.name', 'Test User');
  git('config', 'user.email', 'test@example.com');
  git('config', 'commit.gpgsign', 'false');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git('add', '-A');
  git('commit', '--quiet', '-m', 'initial commit');
  return { dir, git, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The command line that runs the deterministic stub agent on the Node running the tests. */
export function stubAgentCommand(): string {
  return `"${process.execPath}" "${join(import.meta.dirname, '..', 'stub-agent', 'stub-agent.ts')}"`;
}
