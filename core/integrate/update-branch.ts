import { runGit } from '../git/run-git.ts';

/**
 * Moves a branch from `expected` to `next` only if it still points at `expected` (compare-and-swap). Returns false
 * when someone else moved it first: refs are the locks, the caller re-reads and tries again.
 */
export async function compareAndSwapBranch(
  repoDir: string,
  branch: string,
  next: string,
  expected: string,
  reason: string,
): Promise<boolean> {
  const result = await runGit(['update-ref', '-m', reason, `refs/heads/${branch}`, next, expected], {
    cwd: repoDir,
    okExitCodes: [128, 1],
  });
  return result.exitCode === 0;
}

/** Creates a branch only if it does not exist yet; false when it already does. */
export async function createBranchIfAbsent(
  repoDir: string,
  branch: string,
  commit: string,
  reason: string,
): Promise<boolean> {
  // The all-zero old value makes update-ref refuse when the ref exists.
  const zero = '0'.repeat(commit.length === 64 ? 64 : 40);
  return compareAndSwapBranch(repoDir, branch, commit, zero, reason);
}

/** The commit a branch points at, or undefined when it does not exist. */
export async function branchHead(repoDir: string, branch: string): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
    cwd: repoDir,
    okExitCodes: [1],
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
