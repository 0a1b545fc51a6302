import { type Octokit, requestStatus } from '../github/octokit-types.ts';
import { renderStatus } from '../report/render-status.ts';
import type { RunReport } from '../report/report-model.ts';
import type { Clock } from '../time/clock.ts';
import type { RepoRef } from './github-ledger.ts';
import { type BoundedMap, type KnownStatusComment, runKey } from './orchestrator-memory.ts';

const marker = (runId: string) => `<!-- claude-cluster:status ${runId} -->`;

/** Least time between two edits of one run's status comment; edits asked for sooner are merged into one. */
export const STATUS_EDIT_INTERVAL_MS = 5_000;

/** Where a run's status comment lives and who may have written it. */
export interface StatusTarget {
  octokit: Octokit;
  repo: RepoRef;
  issueNumber: number;
  runId: string;
  /** Logins whose comment with the run's marker is the status comment (the App's bot, `github-actions[bot]`). */
  trustedAuthors: string[];
  /** The orchestrator's memory of status comments it wrote. */
  known: BoundedMap<KnownStatusComment>;
  /** Least time between two edits (default {@link STATUS_EDIT_INTERVAL_MS}). */
  editIntervalMs?: number;
  /** Reads the time of edits and waits out the interval of a held one. */
  clock: Clock;
}

/** How soon an edit must reach GitHub. */
export interface StatusUrgency {
  /** Written now even inside the edit interval: a finished or cancelled run, a failed planning. */
  final?: boolean;
  /** The run was created just now, so it has no status comment yet: create it without looking. */
  fresh?: boolean;
}

/**
 * Creates the run's status comment, or edits it in place (found by its hidden marker among the comments of trusted
 * authors): a few lines of notes, then the task table with states, costs and turns, and the Mermaid graph.
 */
export async function upsertStatusComment(
  target: StatusTarget,
  report: RunReport,
  notes: string[],
  urgency: StatusUrgency = {},
): Promise<void> {
  const head = [marker(report.runId), ...notes].join('\n');
  const markdown = renderStatus(report, { maxLength: 65_536 - head.length - 2 });
  await upsertStatusText(target, [...notes, '', markdown].join('\n').trim(), urgency);
}

/**
 * Creates or edits in place the run's status comment with the given Markdown. Edits of one run are coalesced: one
 * asked for less than {@link STATUS_EDIT_INTERVAL_MS} after the previous edit is held and sent when the interval
 * ends, replaced by any newer one meanwhile (unless `final`). Holding is only an optimization of this process: the
 * next event of the run renders the status again from GitHub.
 */
export async function upsertStatusText(
  target: StatusTarget,
  markdown: string,
  urgency: StatusUrgency = {},
): Promise<void> {
  const body = `${marker(target.runId)}\n${markdown}`;
  const key = runKey(target.repo, target.runId);
  const known = target.known.get(key);
  if (known === undefined) {
    const id = urgency.fresh ? await create(target, body) : await findOrCreate(target, body);
    target.known.set(key, { id, body, editedAt: target.clock.now() });
    return;
  }
  known.held?.abort();
  known.held = undefined;
  if (known.body === body) return;
  const wait = known.editedAt + (target.editIntervalMs ?? STATUS_EDIT_INTERVAL_MS) - target.clock.now();
  if (urgency.final || wait <= 0) {
    await edit(target, key, known, body);
    return;
  }
  const held = new AbortController();
  known.held = held;
  void target.clock.sleep(wait, held.signal).then(() => {
    // Replaced by a newer edit, or the run was forgotten, meanwhile.
    if (held.signal.aborted || known.held !== held) return;
    known.held = undefined;
    // A held edit that fails is not retried: the next event of the run renders the status again.
    edit(target, key, known, body).catch(() => undefined);
  });
}

async function edit(
  target: StatusTarget,
  key: string,
  known: KnownStatusComment,
  body: string,
): Promise<void> {
  known.editedAt = target.clock.now();
  try {
    await target.octokit.rest.issues.updateComment({ ...target.repo, comment_id: known.id, body });
    known.body = body;
  } catch (error) {
    // Deleted meanwhile: find or create it again.
    if (requestStatus(error) !== 404) throw error;
    target.known.delete(key);
    target.known.set(key, { id: await findOrCreate(target, body), body, editedAt: target.clock.now() });
  }
}

/** The status comment's id, created when no trusted comment carries the run's marker; its body set to `body`. */
async function findOrCreate(target: StatusTarget, body: string): Promise<number> {
  const { octokit, repo } = target;
  const head = marker(target.runId);
  const trusted = new Set(target.trustedAuthors.map((login) => login.toLowerCase()));
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: target.issueNumber,
    per_page: 100,
  })) {
    const existing = page.data.find(
      (comment) => comment.body?.startsWith(head) && trusted.has(comment.user?.login.toLowerCase() ?? ''),
    );
    if (existing) {
      if (existing.body !== body)
        await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
      return existing.id;
    }
  }
  return create(target, body);
}

async function create(target: StatusTarget, body: string): Promise<number> {
  const { data } = await target.octokit.rest.issues.createComment({
    ...target.repo,
    issue_number: target.issueNumber,
    body,
  });
  return data.id;
}
