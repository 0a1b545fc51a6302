import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './run-git.ts';

/** What to commit and where. */
export interface CommitWorktreeInput {
  /** The directory the agent worked in (a worktree or the job's checkout). */
  dir: string;
  /** The run's own branch (without `refs/heads/`) that receives the commit; no other ref is touched. */
  branch: string;
  /** Where the branch started: the parent when the agent left the branch somewhere else. */
  startCommit: string;
  /** Identity environment. */
  env: NodeJS.ProcessEnv;
  message: string;
}

/** The branch's new head and the files changed since the start. */
export interface CommitWorktreeResult {
  head: string;
  files: string[];
}

/**
 * Commits every file of `dir` (as `git add -A` sees it) onto `branch`, with plumbing only: a private index, `write-tree`,
 * `commit-tree` and a compare-and-swap `update-ref` of `refs/heads/<branch>`. Whatever the agent did to HEAD or the
 * real index (switched to another branch, detached, committed elsewhere) no ref but the task's own moves. Commits the
 * agent made on the task branch are kept as the parent when they descend from `startCommit`; otherwise the parent is
 * `startCommit`. No commit is made when the tree is unchanged.
 */
export async function commitWorktree(input: CommitWorktreeInput): Promise<CommitWorktreeResult> {
  const { dir, env } = input;
  const ref = `refs/heads/${input.branch}`;
  const tip = (
    await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir, okExitCodes: [1] })
  ).stdout.trim();
  const descends =
    tip !== '' &&
    (await runGit(['merge-base', '--is-ancestor', input.startCommit, tip], { cwd: dir, okExitCodes: [1] }))
      .exitCode === 0;
  const parent = descends ? tip : input.startCommit;

  const scratch = await mkdtemp(join(tmpdir(), 'claude-cluster-index-'));
  try {
    const indexEnv = { GIT_INDEX_FILE: join(scratch, 'index') };
    await runGit(['read-tree', parent], { cwd: dir, env: indexEnv });
    await runGit(['add', '-A'], { cwd: dir, env: indexEnv });
    const tree = (await runGit(['write-tree'], { cwd: dir, env: indexEnv })).stdout.trim();
    const parentTree = (await runGit(['rev-parse', `${parent}^{tree}`], { cwd: dir })).stdout.trim();
    const head =
      tree === parentTree
        ? parent
        : (
            await runGit(['commit-tree', tree, '-p', parent, '-F', '-'], {
              cwd: dir,
              env,
              input: input.message,
            })
          ).stdout.trim();
    // Compare-and-swap against the tip read above (or "must not exist" when the agent deleted the branch).
    await runGit(['update-ref', '-m', 'cluster: commit task work', ref, head, tip === '' ? '' : tip], {
      cwd: dir,
    });
    const diff = await runGit(
      ['diff-tree', '-r', '--no-renames', '--name-only', '-z', input.startCommit, head],
      {
        cwd: dir,
      },
    );
    return { head, files: diff.stdout.split('\0').filter(Boolean) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
