import { runGit } from '../git/run-git.ts';

/**
 * Where a run's branches live and how they move. Merges are always computed in a local repository (`repoDir`); the
 * store publishes them. Every move is a compare-and-swap, so concurrent writers (parallel tasks, matrix jobs, App
 * replicas) never overwrite each other: refs are the locks.
 */
export interface BranchStore {
  /** The local repository where objects are created and merges computed. */
  readonly repoDir: string;
  /** How messages name the store: `the local repository` or `origin`. */
  readonly label: string;
  /** The branch's current commit (fetched into `repoDir` for a remote store), or undefined when it does not exist. */
  head(branch: string): Promise<string | undefined>;
  /**
   * Moves `branch` to `next` only if it is still at `expected` (`undefined`: only if it does not exist yet).
   * Returns false when someone else moved it first; the caller re-reads and tries again.
   */
  compareAndSwap(
    branch: string,
    next: string,
    expected: string | undefined,
    reason: string,
  ): Promise<boolean>;
}

const ZERO_OID = '0'.repeat(40);

/** Branches of the local repository itself (`git update-ref` with the old value as the lock). */
export function localBranchStore(repoDir: string): BranchStore {
  return {
    repoDir,
    label: 'the local repository',
    async head(branch) {
      const result = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
        cwd: repoDir,
        okExitCodes: [1],
      });
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },
    async compareAndSwap(branch, next, expected, reason) {
      const old = expected ?? (next.length === 64 ? '0'.repeat(64) : ZERO_OID);
      const result = await runGit(['update-ref', '-m', reason, `refs/heads/${branch}`, next, old], {
        cwd: repoDir,
        okExitCodes: [1, 128],
      });
      return result.exitCode === 0;
    },
  };
}
