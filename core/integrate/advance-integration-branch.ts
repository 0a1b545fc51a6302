import { runGit } from '../git/run-git.ts';
import type { LedgerTarget } from './append-ledger-entry.ts';
import { readLedgerHeads } from './project-merge.ts';

/** Attempts when other writers keep moving the integration branch. */
const ATTEMPTS = 5;

/**
 * Moves the integration branch forward to the commit the ledger projects (the run's code without its bookkeeping).
 * Only forward: a branch already at, or past, the projection (another writer published a later one) stays where it
 * is, and so does one someone moved elsewhere (their commits are never dropped). Returns the branch's head.
 */
export async function advanceIntegrationBranch(
  target: LedgerTarget,
  integrationBranch: string,
): Promise<string | undefined> {
  const { store } = target;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [{ projected }, current] = await Promise.all([
      readLedgerHeads(target),
      store.head(integrationBranch),
    ]);
    if (current === projected) return current;
    if (current !== undefined && !(await isAncestor(store.repoDir, current, projected))) return current;
    if (await store.compareAndSwap(integrationBranch, projected, current, "cluster: publish the run's code"))
      return projected;
  }
  throw new Error(
    `could not move \`${integrationBranch}\` on ${store.label}: it kept moving under ${ATTEMPTS} attempts`,
  );
}

async function isAncestor(repoDir: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await runGit(['merge-base', '--is-ancestor', ancestor, descendant], {
    cwd: repoDir,
    okExitCodes: [1],
  });
  return result.exitCode === 0;
}
