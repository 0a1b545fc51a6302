import { ZERO_SHA } from './check-pushed-commits.ts';
import type { FakeCore, RefUpdate } from './fake-core.ts';
import type { FakeIssue, FakePull } from './fake-state.ts';
import { isAncestor, listCommits, readCommit, resolveCommit } from './git-store.ts';
import { pullEventPayload } from './pull-routes.ts';
import { pushPayload } from './push-payload.ts';

/** An event to send (webhook, and the workflows its `on:` starts). */
export interface FakeEvent {
  event: string;
  payload: Record<string, unknown>;
}

/**
 * The events GitHub sends when a ref moves: `push` (with the new commits, at most 20), and for each open pull request
 * of the repository whose head is that branch, `pull_request` with action `synchronize` (`before`/`after` set) and
 * the pull request's head brought up to date. A deleted branch sends only `push` (`deleted: true`).
 */
export async function refUpdateEvents(core: FakeCore, update: RefUpdate): Promise<FakeEvent[]> {
  const { repo, ref, before, after } = update;
  const sender = update.pusher;
  const deleted = after === ZERO_SHA;
  let commits: Awaited<ReturnType<typeof listCommits>> = [];
  if (!deleted) {
    // A new branch lists the commits the default branch lacks; a moved one those since its old value.
    const exclude =
      before !== ZERO_SHA
        ? before
        : ref === `refs/heads/${repo.defaultBranch}`
          ? undefined
          : await resolveCommit(repo.bareDir, repo.defaultBranch);
    commits = (
      await listCommits(repo.bareDir, after, {
        skip: 0,
        limit: 20,
        ...(exclude === undefined ? {} : { exclude }),
      })
    ).reverse();
  }
  const forced = before !== ZERO_SHA && !deleted && !(await isAncestor(repo.bareDir, before, after));
  const push = pushPayload(core, {
    repo,
    ref,
    before,
    after,
    forced,
    commits,
    head: deleted ? undefined : await readCommit(repo.bareDir, after),
    sender,
  });
  const events: FakeEvent[] = [{ event: 'push', payload: push as unknown as Record<string, unknown> }];
  if (deleted || !ref.startsWith('refs/heads/')) return events;
  const branch = ref.slice('refs/heads/'.length);
  const heads = [...repo.issues.values()].filter(
    (issue): issue is FakeIssue & { pull: FakePull } =>
      issue.state === 'open' &&
      issue.pull !== undefined &&
      issue.pull.head.repoFullName.toLowerCase() === repo.fullName.toLowerCase() &&
      issue.pull.head.ref === branch,
  );
  for (const issue of heads) {
    const payload = await pullEventPayload(core, repo, issue, 'synchronize', sender);
    events.push({ event: 'pull_request', payload: { ...payload, before, after } });
  }
  return events;
}
