import { runGit } from '../git/run-git.ts';
import type { LedgerTarget } from './append-ledger-entry.ts';
import { escapeGrep } from './read-ledger.ts';

/** The ledger branch's head and the integration branch's commit it projects. */
export interface LedgerHeads {
  /** Head of the ledger branch: the compare-and-swap's expected value. */
  ledgerHead: string;
  /** The commit the integration branch holds once it is published: where merges and new attempts start. */
  projected: string;
}

/**
 * Reads the ledger branch's head and its projection: the second parent of the last merge after the run's start
 * entry, or the start commit. Two bounded walks of the ledger, not of the base's history. Throws when the run was not
 * started.
 */
export async function readLedgerHeads(target: LedgerTarget): Promise<LedgerHeads> {
  const ledgerHead = await target.store.head(target.ledgerBranch);
  const cwd = target.store.repoDir;
  if (ledgerHead !== undefined) {
    const runPattern = `^Cluster-Run: ${escapeGrep(target.runId)}$`;
    const start = await runGit(
      [
        'log',
        '--first-parent',
        '-1',
        '--format=%H',
        '--all-match',
        '--grep=^Cluster-Event: start$',
        `--grep=${runPattern}`,
        ledgerHead,
      ],
      { cwd },
    );
    const startCommit = start.stdout.trim();
    if (startCommit) {
      const merge = await runGit(
        ['rev-list', '--first-parent', '--merges', '--parents', '-1', ledgerHead, `^${startCommit}`],
        { cwd },
      );
      const projected = merge.stdout.trim().split(' ')[2] ?? startCommit;
      return { ledgerHead, projected };
    }
  }
  throw new Error(
    `ledger branch \`${target.ledgerBranch}\` has no start entry of run \`${target.runId}\` on ${target.store.label}; the run was not started`,
  );
}

/** Strings that make GitHub skip a push's or a pull request's workflows: never in a commit the user's CI must see. */
const SKIP_MARKERS = /\[(?:skip ci|ci skip|no ci|skip actions|actions skip)\]|skip-checks\s*:\s*true/gi;

/** The message of a task's merge on the integration branch: readable, one line, no bookkeeping, no skip marker. */
export function projectedMergeMessage(taskId: string, title: string): string {
  const text = `Merge task ${taskId}: ${title}`.replace(/\s+/g, ' ').replace(SKIP_MARKERS, '').trim();
  return `${text}\n`;
}

/** What one landed merge is made of. */
export interface ProjectedMergeInput {
  /** The merged tree (clean merge, or the accepted resolution). */
  tree: string;
  heads: LedgerHeads;
  taskCommit: string;
  /** Message of the integration branch's merge (see {@link projectedMergeMessage}). */
  mergeMessage: string;
  /** Message of the ledger's merge: the task's entry. */
  ledgerMessage: string;
}

/**
 * Writes a landed task as two commits with the same tree: the projected merge `P = (tree, [projected, task])`, the
 * integration branch's next commit, and the ledger's merge `L = (tree, [ledgerHead, P])` carrying the entry. Only the
 * ledger is then moved (one compare-and-swap): P is reachable from L, so the integration branch can be published
 * later, by anyone, from the ledger alone, and no bookkeeping commit is ever in its history.
 */
export async function commitProjectedMerge(
  repoDir: string,
  env: NodeJS.ProcessEnv,
  input: ProjectedMergeInput,
): Promise<{ projection: string; ledgerCommit: string }> {
  const commit = async (parents: string[], message: string) =>
    (
      await runGit(['commit-tree', input.tree, ...parents.flatMap((parent) => ['-p', parent]), '-F', '-'], {
        cwd: repoDir,
        env,
        input: message,
      })
    ).stdout.trim();
  const projection = await commit([input.heads.projected, input.taskCommit], input.mergeMessage);
  const ledgerCommit = await commit([input.heads.ledgerHead, projection], input.ledgerMessage);
  return { projection, ledgerCommit };
}
