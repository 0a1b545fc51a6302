import { runGit } from '../git/run-git.ts';
import { appendLedgerMessage, type LedgerTarget } from './append-ledger-entry.ts';
import { type MergeAttempt, type MergeLabels, tryMergeTaskCommit } from './merge-task-branch.ts';
import { branchHead, compareAndSwapBranch } from './update-branch.ts';

/** Outcome of integrating one task commit. */
export type IntegrationResult =
  | { merged: true; commit: string }
  | { merged: false; conflict: Extract<MergeAttempt, { clean: false }> };

const MAX_ATTEMPTS = 20;

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
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const head = await branchHead(target.repoDir, target.integrationBranch);
    if (head === undefined) {
      throw new Error(
        `integration branch \`${target.integrationBranch}\` does not exist; the run was not started`,
      );
    }
    const merge = await tryMergeTaskCommit(target.repoDir, head, taskCommit, labels);
    if (!merge.clean) return { merged: false, conflict: merge };
    const { stdout } = await runGit(['commit-tree', merge.tree, '-p', head, '-p', taskCommit, '-F', '-'], {
      cwd: target.repoDir,
      env: target.env,
      input: message,
    });
    const commit = stdout.trim();
    if (
      await compareAndSwapBranch(
        target.repoDir,
        target.integrationBranch,
        commit,
        head,
        `cluster: integrate ${labels.task}`,
      )
    ) {
      return { merged: true, commit };
    }
  }
  throw new Error(
    `could not integrate \`${labels.task}\`: \`${target.integrationBranch}\` kept moving under ${MAX_ATTEMPTS} attempts`,
  );
}
