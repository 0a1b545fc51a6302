import { runGit } from '../git/run-git.ts';
import { appendLedgerMessage, type LedgerTarget, MAX_PUBLISH_ATTEMPTS } from './append-ledger-entry.ts';
import { type MergeAttempt, type MergeLabels, tryMergeTaskCommit } from './merge-task-branch.ts';

/** Outcome of integrating one task commit. */
export type IntegrationResult =
  | { merged: true; commit: string }
  | { merged: false; conflict: Extract<MergeAttempt, { clean: false }> };

/**
 * Merges a task's commit into the integration branch as one merge commit carrying the ledger `message`. Real git,
 * in memory (`merge-tree`), published with a compare-and-swap on the branch: when another integration lands first
 * the merge is redone on the new head. A conflict is returned, not thrown, and changes nothing. A task that changed
 * no file (`unchanged`) gets its ledger entry as a plain commit instead of a merge.
 */
export async function integrateTaskCommit(
  target: LedgerTarget,
  taskCommit: string,
  labels: MergeLabels,
  message: string,
  options: { unchanged?: boolean } = {},
): Promise<IntegrationResult> {
  if (options.unchanged) return { merged: true, commit: await appendLedgerMessage(target, message) };
  const { store } = target;
  for (let attempt = 0; attempt < MAX_PUBLISH_ATTEMPTS; attempt++) {
    const head = await store.head(target.integrationBranch);
    if (head === undefined) {
      throw new Error(
        `integration branch \`${target.integrationBranch}\` does not exist; the run was not started`,
      );
    }
    const merge = await tryMergeTaskCommit(store.repoDir, head, taskCommit, labels);
    if (!merge.clean) return { merged: false, conflict: merge };
    const { stdout } = await runGit(['commit-tree', merge.tree, '-p', head, '-p', taskCommit, '-F', '-'], {
      cwd: store.repoDir,
      env: target.env,
      input: message,
    });
    const commit = stdout.trim();
    const reason = `cluster: integrate ${labels.task}`;
    if (await store.compareAndSwap(target.integrationBranch, commit, head, reason))
      return { merged: true, commit };
  }
  throw new Error(
    `could not integrate \`${labels.task}\`: \`${target.integrationBranch}\` on ${store.label} kept moving under ${MAX_PUBLISH_ATTEMPTS} attempts`,
  );
}
