import { runGit } from '../git/run-git.ts';
import type { BranchStore } from '../integrate/branch-store.ts';
import { formatLedgerMessage } from '../integrate/ledger-format.ts';
import { type LedgerRecord, readLedger } from '../integrate/read-ledger.ts';
import { dispatchOwners, expiredTokens, formatExpiredToken } from '../orchestrate/dispatch-record.ts';
import { type Clock, systemClock } from '../time/clock.ts';

/** Whether a job may work on its task: only the job of the dispatch that owns the task's attempt does. */
export type DispatchVerdict =
  /** The ledger as read when ownership was confirmed. */
  | { kind: 'owner'; ledger: LedgerRecord[] }
  /** Another dispatch owns the task, the run was cancelled, or the dispatch was never recorded. */
  | { kind: 'not-owner'; reason: string };

/** What {@link awaitDispatchOwner} checks. */
export interface AwaitDispatchOwnerOptions {
  store: BranchStore;
  ledgerBranch: string;
  runId: string;
  taskId: string;
  /** The dispatch token of this job's matrix entry. */
  token: string;
  /** How long to wait for the orchestrator to record the dispatch (it records right after dispatching). */
  timeoutMs: number;
  /** First pause between two looks; it doubles up to eight times as long. */
  pollMs?: number;
  /** Commit identity for the `expire` entry (see `commitIdentityEnv`). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Reads the deadline and waits between looks (default {@link systemClock}). */
  clock?: Clock;
}

/**
 * Waits until the run's ledger says who owns the job's task: the orchestrator dispatches first and records the
 * dispatch right after, so a job may start before the record lands. Two orchestrators that dispatched the same
 * task both sent jobs; the ledger names one owner, and the other jobs stop here before any agent runs. A dispatch
 * not recorded in time (the orchestrator died in between, or is very slow) is expired by an `expire` entry, written
 * with a compare-and-swap: a record that lands later owns nothing, and the job's end makes the orchestrator dispatch
 * the task again. If the record lands first, the swap fails and the next look finds this job the owner.
 */
export async function awaitDispatchOwner(options: AwaitDispatchOwnerOptions): Promise<DispatchVerdict> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMs;
  const firstPause = options.pollMs ?? 500;
  let pause = firstPause;
  for (;;) {
    const head = await options.store.head(options.ledgerBranch);
    const ledger = await readLedger(options.store.repoDir, head, options.runId);
    if (ledger.some((record) => record.event === 'cancel'))
      return { kind: 'not-owner', reason: `run \`${options.runId}\` was cancelled` };
    if (expiredTokens(ledger).has(options.token)) return notRecorded(options);
    const owner = dispatchOwners(ledger).get(options.taskId);
    if (owner?.token === options.token) return { kind: 'owner', ledger };
    if (owner !== undefined) {
      return {
        kind: 'not-owner',
        reason: `task \`${options.taskId}\` belongs to another dispatch of the same run (a concurrent or repeated dispatch); that job does the work`,
      };
    }
    if (clock.now() >= deadline || options.signal?.aborted) {
      if (head === undefined || (await expire(options, head))) return notRecorded(options);
      // The branch moved under the expiry (perhaps the record landed): look again at once.
      continue;
    }
    await clock.sleep(Math.min(pause, deadline - clock.now()), options.signal);
    pause = Math.min(pause * 2, firstPause * 8);
  }
}

function notRecorded(options: AwaitDispatchOwnerOptions): DispatchVerdict {
  return {
    kind: 'not-owner',
    reason: `the dispatch of task \`${options.taskId}\` was not recorded on \`${options.ledgerBranch}\` within ${Math.round(options.timeoutMs / 1000)} s; it is void now, and the orchestrator dispatches the task again when it sees this job end`,
  };
}

/** Appends an `expire` entry for the job's token on top of `head`; false when the branch moved first. */
async function expire(options: AwaitDispatchOwnerOptions, head: string): Promise<boolean> {
  const message = formatLedgerMessage(`Expire an unrecorded dispatch of task ${options.taskId}`, {
    event: 'expire',
    run: options.runId,
    task: options.taskId,
    excerpt: formatExpiredToken(options.token),
  });
  const { stdout } = await runGit(['commit-tree', `${head}^{tree}`, '-p', head, '-F', '-'], {
    cwd: options.store.repoDir,
    ...(options.env ? { env: options.env } : {}),
    input: message,
  });
  return options.store.compareAndSwap(
    options.ledgerBranch,
    stdout.trim(),
    head,
    `cluster: expire dispatch ${options.token}`,
  );
}
