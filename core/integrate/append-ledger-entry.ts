import { runGit } from '../git/run-git.ts';
import type { BranchStore } from './branch-store.ts';
import { formatLedgerMessage, type LedgerEntryInput } from './ledger-format.ts';

/** Where and as whom ledger commits are written. */
export interface LedgerTarget {
  /** Where the run's branches live: the local repository, or origin for matrix jobs. */
  store: BranchStore;
  /** The run's ledger branch (`<prefix>/<run>/ledger`). */
  ledgerBranch: string;
  runId: string;
  /** Commit identity environment (see `commitIdentityEnv`). */
  env: NodeJS.ProcessEnv;
}

/** Attempts before giving up on a branch that keeps moving; each loss means another writer made progress. */
export const MAX_PUBLISH_ATTEMPTS = 20;

/**
 * Appends an empty ledger commit (same tree as the branch head) to the ledger branch. Used for outcomes that
 * merge nothing: failed, skipped and conflicted tasks, the verify result. Safe against concurrent writers: it
 * re-reads the head and tries again when the compare-and-swap loses.
 */
export async function appendLedgerEntry(
  target: LedgerTarget,
  subject: string,
  entry: LedgerEntryInput,
  body = '',
): Promise<string> {
  return appendLedgerMessage(target, formatLedgerMessage(subject, entry, body));
}

/** Appends an empty commit with an already formatted ledger message; see `appendLedgerEntry`. */
export async function appendLedgerMessage(target: LedgerTarget, message: string): Promise<string> {
  const reason = `cluster: ${message.split('\n', 1)[0]!}`;
  for (let attempt = 0; attempt < MAX_PUBLISH_ATTEMPTS; attempt++) {
    const head = await target.store.head(target.ledgerBranch);
    if (head === undefined) {
      throw new Error(`ledger branch \`${target.ledgerBranch}\` does not exist; the run was not started`);
    }
    const { stdout } = await runGit(['commit-tree', `${head}^{tree}`, '-p', head, '-F', '-'], {
      cwd: target.store.repoDir,
      env: target.env,
      input: message,
    });
    const commit = stdout.trim();
    if (await target.store.compareAndSwap(target.ledgerBranch, commit, head, reason)) return commit;
  }
  throw new Error(
    `could not append to \`${target.ledgerBranch}\` on ${target.store.label}: it kept moving under ${MAX_PUBLISH_ATTEMPTS} attempts; is another run using it?`,
  );
}
