import { type Octokit, requestStatus } from '../github/octokit-types.ts';
import {
  formatLedgerMessage,
  type LedgerEntryInput,
  parseLedgerMessage,
} from '../integrate/ledger-format.ts';
import { type LedgerRecord, ledgerRecord } from '../integrate/read-ledger.ts';

/** A repository on GitHub. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** A branch's head as the API reports it. */
export interface BranchTip {
  sha: string;
  tree: string;
}

/** Most ledger pages read (100 commits each): a run's ledger is a few entries per task. */
const MAX_PAGES = 20;
/** Attempts to append when other writers keep landing first. */
const MAX_APPEND_ATTEMPTS = 10;

/** The head commit (and its tree) of a branch, or undefined when the branch does not exist. */
export async function readBranchTip(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
): Promise<BranchTip | undefined> {
  try {
    const { data } = await octokit.rest.repos.getBranch({ ...repo, branch });
    return { sha: data.commit.sha, tree: data.commit.commit.tree.sha };
  } catch (error) {
    if (requestStatus(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Reads a run's ledger from its ledger branch through the API: the first-parent chain from the head back to the
 * run's start entry, oldest first (the commits list also holds the projected merges and the task commits; only first
 * parents count). Empty when the branch does not exist.
 */
export async function readLedgerFromGitHub(
  octokit: Octokit,
  repo: RepoRef,
  ledgerBranch: string,
  runId: string,
): Promise<{ tip?: BranchTip; ledger: LedgerRecord[] }> {
  const commits = new Map<string, { message: string; parents: string[]; tree: string }>();
  let tip: BranchTip | undefined;
  let cursor: string | undefined;
  const records: LedgerRecord[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    let data: Awaited<ReturnType<Octokit['rest']['repos']['listCommits']>>['data'];
    try {
      ({ data } = await octokit.rest.repos.listCommits({
        ...repo,
        sha: ledgerBranch,
        per_page: 100,
        page,
      }));
    } catch (error) {
      if (requestStatus(error) === 404 || requestStatus(error) === 409) return { ledger: [] };
      throw error;
    }
    for (const commit of data) {
      commits.set(commit.sha, {
        message: commit.commit.message,
        parents: commit.parents.map((parent) => parent.sha),
        tree: commit.commit.tree.sha,
      });
    }
    if (tip === undefined && data[0]) {
      tip = { sha: data[0].sha, tree: data[0].commit.tree.sha };
      cursor = data[0].sha;
    }
    // Walk the first-parent chain as far as the pages read so far reach.
    while (cursor !== undefined && commits.has(cursor)) {
      const commit = commits.get(cursor)!;
      const entry = parseLedgerMessage(commit.message);
      if (entry !== undefined && entry.run === runId) {
        records.push(ledgerRecord(entry, cursor, commit.parents));
        if (entry.event === 'start') return { tip, ledger: records.reverse() };
      }
      cursor = commit.parents[0];
    }
    if (cursor === undefined || data.length < 100) break;
  }
  return { tip, ledger: records.reverse() };
}

/** A ledger entry to append: the commit's subject line and its trailers. */
export interface PendingEntry {
  subject: string;
  entry: LedgerEntryInput;
}

/**
 * Appends entries to the ledger branch through the API as one compare-and-swap: a chain of empty commits on the
 * tip's tree, then one non-forced ref update, which GitHub refuses (422) unless it is a fast-forward. Returns the new
 * tip and the appended records, or undefined when someone else moved the branch first (nothing was appended: the
 * caller re-reads the ledger and decides again).
 */
export async function tryAppendLedgerEntries(
  octokit: Octokit,
  repo: RepoRef,
  ledgerBranch: string,
  entries: readonly PendingEntry[],
  tip: BranchTip,
): Promise<{ tip: BranchTip; records: LedgerRecord[] } | undefined> {
  let parent = tip.sha;
  const records: LedgerRecord[] = [];
  for (const { subject, entry } of entries) {
    const message = formatLedgerMessage(subject, entry);
    const { data: commit } = await octokit.rest.git.createCommit({
      ...repo,
      message,
      tree: tip.tree,
      parents: [parent],
    });
    const parsed = parseLedgerMessage(message);
    if (parsed !== undefined) records.push({ ...parsed, ledgerCommit: commit.sha });
    parent = commit.sha;
  }
  if (parent === tip.sha) return { tip, records };
  try {
    await octokit.rest.git.updateRef({
      ...repo,
      ref: `heads/${ledgerBranch}`,
      sha: parent,
      force: false,
    });
  } catch (error) {
    if (requestStatus(error) === 422) return undefined;
    throw error;
  }
  return { tip: { sha: parent, tree: tip.tree }, records };
}

/**
 * Appends one entry whatever else lands meanwhile (an approval, a cancellation, a retry: entries whose meaning does
 * not depend on the rest): a refused compare-and-swap re-reads the tip and tries again, never overwrites.
 */
export async function appendLedgerEntryOnGitHub(
  octokit: Octokit,
  repo: RepoRef,
  ledgerBranch: string,
  subject: string,
  entry: LedgerEntryInput,
  known?: BranchTip,
): Promise<BranchTip> {
  let tip = known;
  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    tip ??= await readBranchTip(octokit, repo, ledgerBranch);
    if (tip === undefined)
      throw new Error(`ledger branch \`${ledgerBranch}\` does not exist; the run was not started`);
    const appended = await tryAppendLedgerEntries(octokit, repo, ledgerBranch, [{ subject, entry }], tip);
    if (appended !== undefined) return appended.tip;
    tip = undefined;
  }
  throw new Error(
    `could not append to \`${ledgerBranch}\`: it kept moving under ${MAX_APPEND_ATTEMPTS} attempts`,
  );
}

/**
 * Creates a branch at a new commit on top of `parent` holding `entry` (the run's start entry), in one create call
 * that fails with 422 when the branch exists: whoever creates it first wins. Returns the new branch's tip and ledger,
 * or undefined when it existed.
 */
export async function createBranchAtEntry(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  parent: BranchTip,
  subject: string,
  entry: LedgerEntryInput,
): Promise<{ tip: BranchTip; records: LedgerRecord[] } | undefined> {
  const message = formatLedgerMessage(subject, entry);
  const { data: commit } = await octokit.rest.git.createCommit({
    ...repo,
    message,
    tree: parent.tree,
    parents: [parent.sha],
  });
  if (!(await createRef(octokit, repo, branch, commit.sha))) return undefined;
  const parsed = parseLedgerMessage(message);
  return {
    tip: { sha: commit.sha, tree: parent.tree },
    records: parsed === undefined ? [] : [{ ...parsed, ledgerCommit: commit.sha }],
  };
}

/** Creates `refs/heads/<branch>` at `sha`; false when it already exists (someone else got there first). */
export async function createRef(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  sha: string,
): Promise<boolean> {
  try {
    await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha });
    return true;
  } catch (error) {
    if (requestStatus(error) === 422) return false;
    throw error;
  }
}
