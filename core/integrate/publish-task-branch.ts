import type { BranchStore } from './branch-store.ts';

/**
 * Publishes a task branch at `commit`, whatever it pointed at before: a re-run of the same task (a re-run job)
 * replaces the previous attempt, whose head the ledger keeps. Still a compare-and-swap, so two writers of one task
 * branch at the same moment cannot silently overwrite each other.
 */
export async function publishTaskBranch(store: BranchStore, branch: string, commit: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await store.head(branch);
    if (current === commit) return;
    if (await store.compareAndSwap(branch, commit, current, `cluster: publish ${branch}`)) return;
  }
  throw new Error(`could not publish \`${branch}\` to ${store.label}: another job kept moving it`);
}
