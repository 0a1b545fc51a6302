import { appendLedgerMessage, type LedgerTarget, MAX_PUBLISH_ATTEMPTS } from './append-ledger-entry.ts';
import { type MergeAttempt, type MergeLabels, tryMergeTaskCommit } from './merge-task-branch.ts';
import { commitProjectedMerge, type LedgerHeads, readLedgerHeads } from './project-merge.ts';

/** Outcome of integrating one task commit. */
export type IntegrationResult =
  | { merged: true; commit: string; projection?: string }
  | { merged: false; conflict: Extract<MergeAttempt, { clean: false }>; heads: LedgerHeads };

/** The two messages of a landed task. */
export interface IntegrationMessages {
  /** The ledger entry (the ledger's merge commit). */
  ledger: string;
  /** The integration branch's merge commit (see `projectedMergeMessage`). */
  merge: string;
}

/**
 * Merges a task's commit into the run's code as it stands (the integration branch's projected head): real git, in
 * memory (`merge-tree`). The merge is written as the projected merge plus the ledger's merge carrying the entry (see
 * `commitProjectedMerge`) and published with a compare-and-swap of the ledger branch: when another integration lands
 * first the merge is redone on the new heads. A conflict is returned with the heads it was found on, not thrown, and
 * changes nothing. A task that changed no file (`unchanged`) gets its ledger entry as a plain commit instead.
 */
export async function integrateTaskCommit(
  target: LedgerTarget,
  taskCommit: string,
  labels: MergeLabels,
  messages: IntegrationMessages,
  options: { unchanged?: boolean } = {},
): Promise<IntegrationResult> {
  if (options.unchanged) return { merged: true, commit: await appendLedgerMessage(target, messages.ledger) };
  const { store } = target;
  for (let attempt = 0; attempt < MAX_PUBLISH_ATTEMPTS; attempt++) {
    const heads = await readLedgerHeads(target);
    const merge = await tryMergeTaskCommit(store.repoDir, heads.projected, taskCommit, labels);
    if (!merge.clean) return { merged: false, conflict: merge, heads };
    const { projection, ledgerCommit } = await commitProjectedMerge(store.repoDir, target.env, {
      tree: merge.tree,
      heads,
      taskCommit,
      mergeMessage: messages.merge,
      ledgerMessage: messages.ledger,
    });
    const reason = `cluster: integrate ${labels.task}`;
    if (await store.compareAndSwap(target.ledgerBranch, ledgerCommit, heads.ledgerHead, reason))
      return { merged: true, commit: ledgerCommit, projection };
  }
  throw new Error(
    `could not integrate \`${labels.task}\`: \`${target.ledgerBranch}\` on ${store.label} kept moving under ${MAX_PUBLISH_ATTEMPTS} attempts`,
  );
}
