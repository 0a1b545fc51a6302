import type { FakeCore } from './fake-core.ts';
import type { FakeIssue, FakeRepository, FakeUser } from './fake-state.ts';
import { resolveCommit, updateRef } from './git-store.ts';
import { importCommit } from './import-commit.ts';
import { addLabels, createComment } from './issue-routes.ts';
import { type FakePullIssue, mergePull, openPull, pullEventPayload } from './pull-routes.ts';
import { issueCommentPayload, issuesPayload, type WebhookPayload } from './webhook-payloads.ts';

/**
 * Commits `files` on top of `parent` (a branch or sha) and points `targetRef` of the bare repository at the commit,
 * directly (not over HTTP: this is a person pushing, not the code under test). Returns the sha.
 */
export async function commitFiles(
  repo: FakeRepository,
  input: {
    parent: string;
    files: Record<string, string>;
    message: string;
    targetRef: string;
    author?: string;
  },
): Promise<string> {
  const parent = await resolveCommit(repo.bareDir, input.parent);
  if (!parent)
    throw new Error(`cannot commit on ${input.parent}: no such branch or commit in ${repo.fullName}`);
  return importCommit(repo.bareDir, {
    ref: input.targetRef,
    parent,
    files: input.files,
    message: input.message,
    author: input.author ?? 'octocat',
  });
}

/** Creates an issue (state only; no webhook). */
export function createIssue(
  core: FakeCore,
  repo: FakeRepository,
  input: { title: string; body?: string | null; user: FakeUser; labels?: string[] },
): FakeIssue {
  const now = core.now();
  const issue: FakeIssue = {
    id: core.state.id(),
    number: repo.nextNumber++,
    repoFullName: repo.fullName,
    title: input.title,
    body: input.body ?? null,
    state: 'open',
    stateReason: null,
    labels: [],
    user: input.user,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  };
  repo.issues.set(issue.number, issue);
  for (const name of input.labels ?? []) {
    if (!repo.labels.has(name.toLowerCase())) {
      repo.labels.set(name.toLowerCase(), { id: core.state.id(), name, color: 'ededed', description: null });
    }
    issue.labels.push(name);
  }
  return issue;
}

/**
 * Opens a pull request from a fork: the fork's commit (its files on top of `base`) exists only as
 * `refs/pull/<n>/head` in the base repository, as on GitHub.
 */
export async function openForkPull(
  core: FakeCore,
  repo: FakeRepository,
  input: {
    forkOwner: string;
    head: string;
    base: string;
    files: Record<string, string>;
    title: string;
    body: string | null;
    user: FakeUser;
  },
): Promise<FakePullIssue> {
  const number = repo.nextNumber;
  const sha = await commitFiles(repo, {
    parent: input.base,
    files: input.files,
    message: input.title,
    targetRef: `refs/pull/${number}/head`,
    author: input.user.login,
  });
  const issue = createIssue(core, repo, { title: input.title, body: input.body, user: input.user });
  const pull: FakePullIssue = Object.assign(issue, {
    pull: {
      head: { ref: input.head, sha, repoFullName: `${input.forkOwner}/${repo.name}` },
      base: { ref: input.base },
      draft: false,
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
      mergedBy: null,
    },
  });
  await updateRef(repo.bareDir, `refs/pull/${number}/head`, sha);
  return pull;
}

function issueOf(repo: FakeRepository, number: number): FakeIssue {
  const issue = repo.issues.get(number);
  if (!issue) throw new Error(`${repo.fullName} has no issue or pull request #${number}`);
  return issue;
}

/** Adds a label as a person would; returns the `issues.labeled` payload. */
export function labelIssue(
  core: FakeCore,
  repo: FakeRepository,
  number: number,
  label: string,
  sender: FakeUser,
): WebhookPayload {
  const issue = issueOf(repo, number);
  addLabels(core, repo, issue, [label]);
  return issuesPayload(core, repo, issue, 'labeled', sender, label);
}

/** Comments as a person (or bot) would; returns the `issue_comment.created` payload. */
export function commentOnIssue(
  core: FakeCore,
  repo: FakeRepository,
  number: number,
  body: string,
  sender: FakeUser,
): WebhookPayload {
  const issue = issueOf(repo, number);
  const comment = createComment(core, repo, issue, sender, body);
  return issueCommentPayload(core, repo, issue, comment, 'created', sender);
}

/** What a person fills in to open a pull request; `fork` opens it from a fork holding `files`. */
export interface OpenPullRequestInput {
  head: string;
  /** Default: the repository's default branch. */
  base?: string;
  title?: string;
  body?: string;
  /** Default `octocat`. */
  user?: string;
  fork?: { owner: string; files: Record<string, string> };
}

/** Opens a pull request as a person would; returns its number and the `pull_request.opened` payload. */
export async function openPullRequest(
  core: FakeCore,
  repo: FakeRepository,
  input: OpenPullRequestInput,
): Promise<{ number: number; payload: WebhookPayload }> {
  const user = core.state.user(input.user ?? 'octocat');
  const common = {
    title: input.title ?? `Changes from ${input.head}`,
    body: input.body ?? null,
    head: input.head,
    base: input.base ?? repo.defaultBranch,
    user,
  };
  const pull = input.fork
    ? await openForkPull(core, repo, { ...common, forkOwner: input.fork.owner, files: input.fork.files })
    : await openPull(core, repo, { ...common, draft: false });
  return { number: pull.number, payload: await pullEventPayload(core, repo, pull, 'opened', user) };
}

/** Merges (a real merge commit) or closes a pull request as a person would; returns the `pull_request.closed` payload. */
export async function closePullRequest(
  core: FakeCore,
  repo: FakeRepository,
  number: number,
  merge: boolean,
  sender: FakeUser,
): Promise<WebhookPayload> {
  const issue = issueOf(repo, number);
  if (!issue.pull) throw new Error(`#${number} of ${repo.fullName} is an issue, not a pull request`);
  const pull = issue as FakePullIssue;
  if (merge) await mergePull(core, repo, pull, sender);
  else Object.assign(pull, { state: 'closed', closedAt: core.now(), updatedAt: core.now() });
  return pullEventPayload(core, repo, pull, 'closed', sender);
}
