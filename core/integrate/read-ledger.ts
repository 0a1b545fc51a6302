import { runGit } from '../git/run-git.ts';
import { type LedgerEntry, parseLedgerMessage } from './ledger-format.ts';

/** A ledger entry with the commit that carries it. */
export type LedgerRecord = LedgerEntry & { ledgerCommit: string };

/**
 * Reads a run's ledger from its integration branch: the first-parent history back to the run's start entry, oldest
 * first. Commits of other runs or of the base are not entries. An integration branch that does not exist yet has an
 * empty ledger.
 */
export async function readLedger(
  repoDir: string,
  integrationBranch: string,
  runId: string,
): Promise<LedgerRecord[]> {
  const exists = await runGit(
    ['rev-parse', '--verify', '--quiet', `refs/heads/${integrationBranch}^{commit}`],
    {
      cwd: repoDir,
      okExitCodes: [1],
    },
  );
  if (exists.exitCode !== 0) return [];
  // Only commits naming this run are read; the start entry ends the walk so old history is never parsed.
  const { stdout } = await runGit(
    [
      'log',
      '--first-parent',
      '--format=%H%x1f%B%x1e',
      `--grep=^Cluster-Run: ${escapeGrep(runId)}$`,
      `refs/heads/${integrationBranch}`,
    ],
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
