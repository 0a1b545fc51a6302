import { runGit } from '../git/run-git.ts';
import { type LedgerEntry, parseLedgerMessage } from './ledger-format.ts';

/**
 * A ledger entry with the commit that carries it; for a merge, `projection` is the merge's second parent: the
 * commit of the integration branch (the pull request's head) holding the same code.
 */
export type LedgerRecord = LedgerEntry & { ledgerCommit: string; projection?: string };

/**
 * Reads a run's ledger from its ledger branch head `tip` (a commit present in `repoDir`): the first-parent
 * history back to the run's start entry, oldest first. Commits of other runs or of the base are not entries. No tip
 * (the branch does not exist yet) is an empty ledger.
 */
export async function readLedger(
  repoDir: string,
  tip: string | undefined,
  runId: string,
): Promise<LedgerRecord[]> {
  if (tip === undefined) return [];
  // Only commits naming this run are read; the start entry ends the parse, so old history is never parsed.
  const { stdout } = await runGit(
    [
      'log',
      '--first-parent',
      '--format=%H%x1f%P%x1f%B%x1e',
      `--grep=^Cluster-Run: ${escapeGrep(runId)}$`,
      tip,
    ],
    { cwd: repoDir },
  );
  const records: LedgerRecord[] = [];
  for (const chunk of stdout.split('\x1e')) {
    const [hash, parents = '', message] = chunk.replace(/^\n/, '').split('\x1f');
    if (!hash || message === undefined) continue;
    const entry = parseLedgerMessage(message);
    if (entry === undefined || entry.run !== runId) continue;
    records.push(ledgerRecord(entry, hash, parents.split(' ').filter(Boolean)));
    if (entry.event === 'start') break;
  }
  return records.reverse();
}

/** A record of `entry` carried by `commit` with these parents (a merge's second parent is its projection). */
export function ledgerRecord(entry: LedgerEntry, commit: string, parents: readonly string[]): LedgerRecord {
  const projection = parents[1];
  return projection === undefined
    ? { ...entry, ledgerCommit: commit }
    : { ...entry, ledgerCommit: commit, projection };
}

/**
 * The integration branch's commit as the ledger says it should be: the projection of the last merge, or the start
 * commit (an empty commit on the base) when nothing merged yet. Undefined for an empty ledger.
 */
export function projectedHead(ledger: readonly LedgerRecord[]): string | undefined {
  const merge = ledger.findLast((record) => record.projection !== undefined);
  return merge?.projection ?? ledger.find((record) => record.event === 'start')?.ledgerCommit;
}

/** `text` as a literal in a `git log --grep` pattern. */
export function escapeGrep(text: string): string {
  return text.replace(/[.[\]\\*^$+?(){}|]/g, '\\$&');
}
