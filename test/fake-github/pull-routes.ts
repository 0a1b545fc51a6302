import { z } from 'zod';
import { ApiFailure, json, notFound, parseBody, validationFailed } from './api-response.ts';
import { actorOf, type FakeCore, repoOf } from './fake-core.ts';
import type { FakeIssue, FakePull, FakeRepository, FakeUser } from './fake-state.ts';
import { countCommits, mergeTrees, resolveCommit, updateRef, writeCommit } from './git-store.ts';
import { issueOf } from './issue-routes.ts';
import { defineRoute, type Route } from './match-route.ts';
import { paginate } from './paginate-list.ts';
import { pullJson } from './shape-pull.ts';
import { pullRequestPayload } from './webhook-payloads.ts';

const CreatePullBody = z.object({
  title: z.string().min(1),
  head: z.string().min(1),
  base: z.string().min(1),
  body: z.string().max(65_536).nullable().optional(),
  draft: z.boolean().optional(),
  maintainer_can_modify: z.boolean().optional(),
});
const UpdatePullBody = z.object({
  title: z.string().min(1).optional(),
  body: z.string().max(65_536).nullable().optional(),
  state: z.enum(['open', 'closed']).optional(),
  base: z.string().min(1).optional(),
});
const MergeBody = z.object({
  commit_title: z.string().optional(),
  commit_message: z.string().optional(),
  sha: z.string().optional(),
  merge_method: z.enum(['merge', 'squash', 'rebase']).optional(),
});

/** A pull request of the repository. */
export type FakePullIssue = FakeIssue & { pull: FakePull };

function pullOf(repo: FakeRepository, number: string | undefined): FakePullIssue {
  const issue = issueOf(repo, number);
  if (!issue.pull) throw notFound();
  return issue as FakePullIssue;
}

/** Brings the head sha up to date with the head branch (same-repository pull requests) while the PR is open. */
async function refreshHead(repo: FakeRepository, issue: FakePullIssue): Promise<void> {
  if (issue.state !== 'open' || issue.pull.head.repoFullName !== repo.fullName) return;
  const sha = await resolveCommit(repo.bareDir, issue.pull.head.ref);
  if (sha && sha !== issue.pull.head.sha) {
    issue.pull.head.sha = sha;
    await updateRef(repo.bareDir, `refs/pull/${issue.number}/head`, sha);
  }
}

/** The pull request object with its live head and base. */
export async function pullResponse(core: FakeCore, repo: FakeRepository, issue: FakePullIssue) {
  await refreshHead(repo, issue);
  const baseSha = (await resolveCommit(repo.bareDir, issue.pull.base.ref)) ?? '';
  return pullJson(core.state, repo, issue, baseSha, core.urls);
}

/** The `pull_request` webhook payload of a pull request now. */
export async function pullEventPayload(
  core: FakeCore,
  repo: FakeRepository,
  issue: FakePullIssue,
  action: string,
  sender: FakeUser,
) {
  await refreshHead(repo, issue);
  const baseSha = (await resolveCommit(repo.bareDir, issue.pull.base.ref)) ?? '';
  return pullRequestPayload(core, repo, issue, baseSha, action, sender);
}

/** Opens a pull request from a branch of the repository (checks as GitHub does: branches exist, commits ahead, no duplicate). */
export async function openPull(
  core: FakeCore,
  repo: FakeRepository,
  input: { title: string; body: string | null; head: string; base: string; draft: boolean; user: FakeUser },
): Promise<FakePullIssue> {
  const headRef = input.head.includes(':') ? input.head.slice(input.head.indexOf(':') + 1) : input.head;
  const [headSha, baseSha] = [
    await resolveCommit(repo.bareDir, headRef),
    await resolveCommit(repo.bareDir, input.base),
  ];
  if (!headSha) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  if (!baseSha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
  const duplicate = [...repo.issues.values()].find(
    (issue) =>
      issue.state === 'open' && issue.pull?.head.ref === headRef && issue.pull.base.ref === input.base,
  );
  if (duplicate) {
    throw validationFailed([
      {
        resource: 'PullRequest',
        field: 'head',
        code: 'custom',
        message: `A pull request already exists for ${repo.owner.login}:${headRef}.`,
      },
    ]);
  }
  if ((await countCommits(repo.bareDir, headSha, baseSha)) === 0) {
    throw validationFailed([
      {
        resource: 'PullRequest',
        field: 'head',
        code: 'custom',
        message: `No commits between ${input.base} and ${headRef}`,
      },
    ]);
  }
  const now = core.now();
  const issue: FakePullIssue = {
    id: core.state.id(),
    number: repo.nextNumber++,
    repoFullName: repo.fullName,
    title: input.title,
    body: input.body,
    state: 'open',
    stateReason: null,
    labels: [],
    user: input.user,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    pull: {
      head: { ref: headRef, sha: headSha, repoFullName: repo.fullName },
      base: { ref: input.base },
      draft: input.draft,
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
      mergedBy: null,
    },
  };
  repo.issues.set(issue.number, issue);
  await updateRef(repo.bareDir, `refs/pull/${issue.number}/head`, headSha);
  return issue;
}

/**
 * Merges a pull request with a merge commit (real git: `merge-tree`, `commit-tree`, then a compare-and-swap of the
 * base branch). 405 when it conflicts, 409 when `expectedSha` is not the head any more.
 */
export async function mergePull(
  core: FakeCore,
  repo: FakeRepository,
  issue: FakePullIssue,
  merger: FakeUser,
  options: { expectedSha?: string; title?: string; message?: string } = {},
): Promise<string> {
  await refreshHead(repo, issue);
  if (issue.state !== 'open') throw new ApiFailure(405, 'Pull Request is not mergeable');
  if (options.expectedSha !== undefined && options.expectedSha !== issue.pull.head.sha) {
    throw new ApiFailure(409, 'Head branch was modified. Review and try the merge again.');
  }
  const base = await resolveCommit(repo.bareDir, issue.pull.base.ref);
  const tree = base === undefined ? undefined : await mergeTrees(repo.bareDir, base, issue.pull.head.sha);
  if (base === undefined || tree === undefined) throw new ApiFailure(405, 'Pull Request is not mergeable');
  const title =
    options.title ?? `Merge pull request #${issue.number} from ${repo.owner.login}/${issue.pull.head.ref}`;
  const sha = await writeCommit(repo.bareDir, {
    tree,
    parents: [base, issue.pull.head.sha],
    message: `${title}\n\n${options.message ?? issue.title}`,
    author: { name: merger.login, email: `${merger.id}+${merger.login}@users.noreply.github.com` },
  });
  if (!(await updateRef(repo.bareDir, `refs/heads/${issue.pull.base.ref}`, sha, base))) {
    throw new ApiFailure(409, 'Base branch was modified. Review and try the merge again.');
  }
  await core.refUpdated({
    repo,
    ref: `refs/heads/${issue.pull.base.ref}`,
    before: base,
    after: sha,
    pusher: merger,
  });
  const now = core.now();
  Object.assign(issue, { state: 'closed', closedAt: now, updatedAt: now, stateReason: null });
  Object.assign(issue.pull, { merged: true, mergedAt: now, mergeCommitSha: sha, mergedBy: merger });
  return sha;
}

/** Pull requests: list, create, get, update, merge. */
export function pullRoutes(core: FakeCore): Route[] {
  return [
    defineRoute('GET', '/repos/{owner}/{repo}/pulls', async (request) => {
      const repo = repoOf(core, request.params);
      const state = request.query.get('state') ?? 'open';
      const head = request.query.get('head');
      const base = request.query.get('base');
      const pulls = [...repo.issues.values()]
        .filter((issue): issue is FakePullIssue => issue.pull !== undefined)
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => base === null || issue.pull.base.ref === base)
        .filter((issue) => {
          if (head === null) return true;
          const [owner, ref] = head.includes(':') ? head.split(':', 2) : [undefined, head];
          const headOwner = issue.pull.head.repoFullName.split('/')[0]?.toLowerCase();
          return issue.pull.head.ref === ref && (owner === undefined || owner.toLowerCase() === headOwner);
        })
        .sort((a, b) => b.number - a.number);
      const bodies = [];
      for (const issue of pulls) bodies.push(await pullResponse(core, repo, issue));
      return paginate(bodies, request, core.urls.api);
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/pulls', async ({ params, body, identity }) => {
      const repo = repoOf(core, params);
      const user = actorOf(identity);
      const input = parseBody(CreatePullBody, body);
      const issue = await openPull(core, repo, {
        title: input.title,
        body: input.body ?? null,
        head: input.head,
        base: input.base,
        draft: input.draft ?? false,
        user,
      });
      core.emitApiEvent('pull_request', await pullEventPayload(core, repo, issue, 'opened', user));
      return json(201, await pullResponse(core, repo, issue));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', async ({ params }) => {
      const repo = repoOf(core, params);
      return json(200, await pullResponse(core, repo, pullOf(repo, params.pull_number)));
    }),
    defineRoute('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', async ({ params, body, identity }) => {
      const repo = repoOf(core, params);
      const user = actorOf(identity);
      const issue = pullOf(repo, params.pull_number);
      const input = parseBody(UpdatePullBody, body);
      if (input.base !== undefined && !(await resolveCommit(repo.bareDir, input.base))) {
        throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      }
      const wasState = issue.state;
      if (input.title !== undefined) issue.title = input.title;
      if (input.body !== undefined) issue.body = input.body;
      if (input.base !== undefined) issue.pull.base.ref = input.base;
      if (input.state !== undefined && input.state !== issue.state) {
        if (issue.pull.merged) throw new ApiFailure(422, 'Cannot reopen a merged pull request');
        issue.state = input.state;
        issue.closedAt = input.state === 'closed' ? core.now() : null;
      }
      issue.updatedAt = core.now();
      if (wasState !== issue.state) {
        const action = issue.state === 'closed' ? 'closed' : 'reopened';
        core.emitApiEvent('pull_request', await pullEventPayload(core, repo, issue, action, user));
      }
      return json(200, await pullResponse(core, repo, issue));
    }),
    defineRoute(
      'PUT',
      '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
      async ({ params, body, identity }) => {
        const repo = repoOf(core, params);
        const user = actorOf(identity);
        const issue = pullOf(repo, params.pull_number);
        const input = parseBody(MergeBody, body ?? {});
        const sha = await mergePull(core, repo, issue, user, {
          ...(input.sha === undefined ? {} : { expectedSha: input.sha }),
          ...(input.commit_title === undefined ? {} : { title: input.commit_title }),
          ...(input.commit_message === undefined ? {} : { message: input.commit_message }),
        });
        core.emitApiEvent('pull_request', await pullEventPayload(core, repo, issue, 'closed', user));
        return json(200, { sha, merged: true, message: 'Pull Request successfully merged' });
      },
    ),
  ];
}
