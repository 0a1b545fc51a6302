import { runGit } from '../git/run-git.ts';
import type { BranchStore } from './branch-store.ts';

/** Options of a store on a git remote. */
export interface RemoteBranchStoreOptions {
  /** A clone (e.g. the Actions workspace) whose `remote` is the shared repository. */
  repoDir: string;
  remote: string;
  /**
   * Environment carrying the remote's credential (e.g. `GIT_CONFIG_*` with an `http.<url>.extraheader`); given only to
   * the git commands that talk to the remote (fetch, ls-remote, push), never to local ones.
   */
  env?: NodeJS.ProcessEnv;
  /** Refuses a push outside what this run may write; throws to refuse. */
  guardPush: (remote: string, branch: string) => void;
}

/** Pushes of one compare-and-swap before a refusal that is not a lost race counts as an error. */
const PUSH_ATTEMPTS = 3;

/** Reads of one branch that find it created between the fetch and the existence check, before giving up. */
const READ_ATTEMPTS = 5;

/** Where fetched remote heads are kept, apart from the user's own refs. */
const PRIVATE_PREFIX = 'refs/cluster-remote';

/**
 * Branches on a git remote, moved with `git push --force-with-lease=<ref>:<expected>`: the server applies the push
 * only if the branch is still where this job last saw it, which makes concurrent matrix jobs safe. Reads fetch the
 * branch into a private ref of the local clone so merges can be computed locally.
 */
export function remoteBranchStore(options: RemoteBranchStoreOptions): BranchStore {
  const { repoDir, remote, env } = options;
  const privateRef = (branch: string) => `${PRIVATE_PREFIX}/${remote}/${branch}`;
  const store: BranchStore = {
    repoDir,
    label: remote,
    async head(branch) {
      let fetchError = '';
      for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        const fetch = await runGit(
          ['fetch', '--no-tags', '--quiet', remote, `+refs/heads/${branch}:${privateRef(branch)}`],
          { cwd: repoDir, env, okExitCodes: [1, 128] },
        );
        if (fetch.exitCode === 0) {
          return (await runGit(['rev-parse', privateRef(branch)], { cwd: repoDir })).stdout.trim();
        }
        fetchError = fetch.stderr.trim() || 'no output';
        // `ls-remote --exit-code` exits 2 when no ref matches: the branch does not exist (not a network failure).
        const listed = await runGit(['ls-remote', '--exit-code', remote, `refs/heads/${branch}`], {
          cwd: repoDir,
          env,
          okExitCodes: [2],
        });
        if (listed.exitCode === 2) {
          await runGit(['update-ref', '-d', privateRef(branch)], { cwd: repoDir, okExitCodes: [1] });
          return undefined;
        }
        // It exists now: most often another job created it between the fetch and this check (jobs starting
        // together race to create the same branch). Read it again; only a fetch that keeps failing is an error.
      }
      throw new Error(
        `cannot fetch \`${branch}\` from ${remote} although it exists: ${fetchError}; check the token's contents permission`,
      );
    },
    async compareAndSwap(branch, next, expected, reason) {
      options.guardPush(remote, branch);
      const lease = `--force-with-lease=refs/heads/${branch}:${expected ?? ''}`;
      let refusal = '';
      for (let attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
        const push = await runGit(
          ['push', '--porcelain', '--no-verify', lease, remote, `${next}:refs/heads/${branch}`],
          {
            cwd: repoDir,
            env: { ...env, GIT_REFLOG_ACTION: reason },
            okExitCodes: [1],
          },
        );
        if (push.exitCode === 0) {
          await runGit(['update-ref', privateRef(branch), next], { cwd: repoDir });
          return true;
        }
        // Refused. If the branch is no longer where we expected, another job moved (or created) it first: the lease
        // did its job and the caller merges again. If it is still there, the refusal may be passing (the server's ref
        // lock held by a concurrent push that has not landed yet): try again shortly, then report it.
        if ((await store.head(branch)) !== expected) return false;
        refusal = push.stderr.trim() || push.stdout.trim() || 'no output';
        await new Promise((done) => setTimeout(done, 150 * (attempt + 1)));
      }
      throw new Error(
        `pushing \`${branch}\` to ${remote} failed: ${refusal}; check that the token may push to this repository and that no branch rule blocks it`,
      );
    },
  };
  return store;
}
