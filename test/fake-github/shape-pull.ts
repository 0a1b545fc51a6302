import type { Endpoints } from '@octokit/types';
import type { FakeIssue, FakePull, FakeRepository, FakeState } from './fake-state.ts';
import { authorAssociation, type LabelJson, labelJson } from './shape-issue.ts';
import { cloneUrl, type RepositoryJson, repositoryJson } from './shape-repository.ts';
import { type FakeUrls, userJson } from './shape-user.ts';

type PullData = Endpoints['GET /repos/{owner}/{repo}/pulls/{pull_number}']['response']['data'];

/** What a pull request's object says about its changes (its head against the merge base). */
export interface PullStats {
  commits: number;
  additions: number;
  deletions: number;
  changed_files: number;
}

/** The state of the branches a pull request object reports: the base branch's tip and the changes. */
export interface PullLive {
  baseSha: string;
  stats: PullStats;
}

/** One side of a pull request; `repo` is the minimal repository (GitHub sends the full one, a superset). */
export type PullBranchJson = Omit<PullData['head'], 'repo'> & { repo: RepositoryJson | null };

/** A pull request as lists return it (`pull-request-simple`): no merge state, no counts. */
export type PullSimpleJson = Pick<
  PullData,
  | 'url'
  | 'id'
  | 'node_id'
  | 'html_url'
  | 'diff_url'
  | 'patch_url'
  | 'issue_url'
  | 'commits_url'
  | 'review_comments_url'
  | 'review_comment_url'
  | 'comments_url'
  | 'statuses_url'
  | 'number'
  | 'state'
  | 'locked'
  | 'title'
  | 'user'
  | 'body'
  | 'created_at'
  | 'updated_at'
  | 'closed_at'
  | 'merged_at'
  | 'merge_commit_sha'
  | 'assignee'
  | 'assignees'
  | 'requested_reviewers'
  | 'draft'
  | 'author_association'
  | 'auto_merge'
  | 'milestone'
  | '_links'
> & { labels: LabelJson[]; head: PullBranchJson; base: PullBranchJson };

/** The fields of a pull request the fake returns for one pull request (`pull-request`), typed by GitHub's schema. */
export type PullJson = PullSimpleJson &
  Pick<
    PullData,
    | 'merged'
    | 'mergeable'
    | 'mergeable_state'
    | 'merged_by'
    | 'comments'
    | 'review_comments'
    | 'maintainer_can_modify'
    | 'commits'
    | 'additions'
    | 'deletions'
    | 'changed_files'
  >;

/** The repository a pull request's head lives in: this one, or a fork shaped after it. */
function headRepository(
  state: FakeState,
  repo: FakeRepository,
  pull: FakePull,
  urls: FakeUrls,
): RepositoryJson {
  if (pull.head.repoFullName.toLowerCase() === repo.fullName.toLowerCase()) return repositoryJson(repo, urls);
  const [owner = '', name = ''] = pull.head.repoFullName.split('/');
  const forkOwner = state.user(owner);
  const fork: FakeRepository = {
    ...repo,
    id: repo.id + forkOwner.id,
    owner: forkOwner,
    name,
    fullName: pull.head.repoFullName,
  };
  return { ...repositoryJson(fork, urls), fork: true, clone_url: cloneUrl(fork, urls) };
}

/** The pull request object of lists (`pull-request-simple`); `baseSha` is the base branch's tip now. */
export function pullSimpleJson(
  state: FakeState,
  repo: FakeRepository,
  issue: FakeIssue & { pull: FakePull },
  baseSha: string,
  urls: FakeUrls,
): PullSimpleJson {
  const { pull } = issue;
  const api = `${urls.api}/repos/${repo.fullName}`;
  const web = `${urls.web}/${repo.fullName}/pull/${issue.number}`;
  const headRepo = headRepository(state, repo, pull, urls);
  return {
    url: `${api}/pulls/${issue.number}`,
    id: issue.id,
    node_id: `PR_${issue.id}`,
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${api}/issues/${issue.number}`,
    commits_url: `${api}/pulls/${issue.number}/commits`,
    review_comments_url: `${api}/pulls/${issue.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    statuses_url: `${api}/statuses/${pull.head.sha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userJson(issue.user, urls),
    body: issue.body,
    labels: issue.labels.flatMap((name) => {
      const label = repo.labels.get(name.toLowerCase());
      return label ? [labelJson(repo, label, urls)] : [];
    }),
    milestone: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    draft: pull.draft,
    author_association: authorAssociation(repo, issue.user.login),
    auto_merge: null,
    head: {
      label: `${headRepo.owner.login}:${pull.head.ref}`,
      ref: pull.head.ref,
      sha: pull.head.sha,
      user: headRepo.owner,
      repo: headRepo,
    },
    base: {
      label: `${repo.owner.login}:${pull.base.ref}`,
      ref: pull.base.ref,
      sha: baseSha,
      user: userJson(repo.owner, urls),
      repo: repositoryJson(repo, urls),
    },
    _links: {
      self: { href: `${api}/pulls/${issue.number}` },
      html: { href: web },
      issue: { href: `${api}/issues/${issue.number}` },
      comments: { href: `${api}/issues/${issue.number}/comments` },
      review_comments: { href: `${api}/pulls/${issue.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${issue.number}/commits` },
      statuses: { href: `${api}/statuses/${pull.head.sha}` },
    },
  };
}

/** The pull request object of one pull request (`pull-request`): the list fields, its merge state and counts. */
export function pullJson(
  state: FakeState,
  repo: FakeRepository,
  issue: FakeIssue & { pull: FakePull },
  live: PullLive,
  urls: FakeUrls,
): PullJson {
  const { pull } = issue;
  return {
    ...pullSimpleJson(state, repo, issue, live.baseSha, urls),
    merged: pull.merged,
    mergeable: issue.state === 'open' ? true : null,
    mergeable_state: issue.state === 'open' ? 'clean' : 'unknown',
    merged_by: pull.mergedBy ? userJson(pull.mergedBy, urls) : null,
    comments: state.issueComments(repo.fullName, issue.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    ...live.stats,
  };
}
