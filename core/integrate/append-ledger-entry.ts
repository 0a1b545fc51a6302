import { runGit } from '../git/run-git.ts';
import { formatLedgerMessage, type LedgerEntryInput } from './ledger-format.ts';
import { branchHead, compareAndSwapBranch } from './update-branch.ts';

/** Where and as whom ledger commits are written. */
export interface LedgerTarget {
  repoDir: string;
  integrationBranch: string;
  /** Commit identity environment (see `commitIdentityEnv`). */
  env: NodeJS.ProcessEnv;
}

const MAX_ATTEMPTS = 20;

/**
 * Appends an empty ledger commit (same tree as the branch head) to the integration branch. Used for outcomes that
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
  const reason = message.split('\n', 1)[0]!;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const head = await branchHead(target.repoDir, target.integrationBranch);
    if (head === undefined) {
      throw new Error(
        `integration branch \`${target.integrationBranch}\` does not exist; the run was not started`,
      );
    }
    const { stdout } = await runGit(['commit-tree', `${head}^{tree}`, '-p', head, '-F', '-'], {
      cwd: target.repoDir,
      env: target.env,
      input: message,
    });
    const commit = stdout.trim();
    if (
      await compareAndSwapBranch(target.repoDir, target.integrationBranch, commit, head, `cluster: ${reason}`)
    ) {
      return commit;
    }
  }
  throw new Error(
    `could not append to \`${target.integrationBranch}\`: it kept moving under ${MAX_ATTEMPTS} attempts; is another run using it?`,
  );
}
