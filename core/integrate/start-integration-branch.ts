import { runGit } from '../git/run-git.ts';
import type { LedgerTarget } from './append-ledger-entry.ts';
import { formatLedgerMessage, type LedgerEntryInput } from './ledger-format.ts';

/**
 * Creates the run's ledger branch at a start entry on top of the base commit, in one compare-and-swap: the branch
 * never exists without its start entry, and when two jobs race to start a run exactly one creates it. The start
 * commit is also the integration branch's first commit (see project-merge.ts). Returns the ledger head and whether
 * this call created it.
 */
export async function startIntegrationBranch(
  target: LedgerTarget,
  baseCommit: string,
  subject: string,
  entry: Extract<LedgerEntryInput, { event: 'start' }>,
): Promise<{ head: string; created: boolean }> {
  // No read first: creating is a compare-and-swap against "absent", which fails when the branch exists.
  const { stdout } = await runGit(['commit-tree', `${baseCommit}^{tree}`, '-p', baseCommit, '-F', '-'], {
    cwd: target.store.repoDir,
    env: target.env,
    input: formatLedgerMessage(subject, entry),
  });
  const commit = stdout.trim();
  if (await target.store.compareAndSwap(target.ledgerBranch, commit, undefined, `cluster: ${subject}`)) {
    return { head: commit, created: true };
  }
  const head = await target.store.head(target.ledgerBranch);
  if (head === undefined) {
    throw new Error(`ledger branch \`${target.ledgerBranch}\` could not be created on ${target.store.label}`);
  }
  return { head, created: false };
}
