import { runGit } from '../git/run-git.ts';
import { type LedgerEntry, parseLedgerMessage } from './ledger-format.ts';

/** A ledger entry with the commit that carries it. */
export type LedgerRecord = LedgerEntry & { ledgerCommit: string };

/**
 * Reads a run's ledger from its integration branch head `tip` (a commit present in `repoDir`): the first-parent
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
    ['log', '--first-parent', '--format=%H%x1f%B%x1e', `--grep=^Cluster-Run: ${escapeGrep(runId)}$`, tip],
    { cwd: repoDir },
  );
  const records: LedgerRecord[] = [];
  for (const chunk of stdout.split('\x1e')) {
    const [hash, message] = chunk.replace(/^\n/, '').split('\x1f');
    if (!hash || message === undefined) continue;
    const entry = parseLedgerMessage(message);
    if (entry === undefined || entry.run !== runId) continue;
    records.push({ ...entry, ledgerCommit: hash });
    if (entry.event === 'start') break;
  }
  return records.reverse();
}

function escapeGrep(text: string): string {
  return text.replace(/[.[\]\\*^$+?(){}|]/g, '\\$&');
}
