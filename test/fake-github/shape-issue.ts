import type { Endpoints } from '@octokit/types';
import type { FakeComment, FakeIssue, FakeLabel, FakeRepository, Permission } from './fake-state.ts';
import { type FakeUrls, userJson } from './shape-user.ts';

type IssueData = Endpoints['GET /repos/{owner}/{repo}/issues/{issue_number}']['response']['data'];
type CommentData = Endpoints['GET /repos/{owner}/{repo}/issues/comments/{comment_id}']['response']['data'];
type LabelData = Endpoints['GET /repos/{owner}/{repo}/labels/{name}']['response']['data'];

/** The fields of an issue the fake returns, typed by GitHub's schema. */
export type IssueJson = Pick<
  IssueData,
  | 'id'
  | 'node_id'
  | 'url'
  | 'repository_url'
  | 'labels_url'
  | 'comments_url'
  | 'events_url'
  | 'html_url'
  | 'number'
  | 'state'
  | 'state_reason'
  | 'title'
  | 'body'
  | 'user'
  | 'labels'
  | 'assignee'
  | 'assignees'
  | 'locked'
  | 'active_lock_reason'
  | 'milestone'
  | 'comments'
  | 'reactions'
  | 'pull_request'
  | 'closed_at'
  | 'created_at'
  | 'updated_at'
  | 'author_association'
>;

/** The fields of a comment the fake returns. */
export type CommentJson = Pick<
  CommentData,
  | 'id'
  | 'node_id'
  | 'url'
  | 'html_url'
  | 'issue_url'
  | 'body'
  | 'user'
  | 'created_at'
  | 'updated_at'
  | 'author_association'
  | 'performed_via_github_app'
  | 'reactions'
>;

/** A label as the API returns it. */
export type LabelJson = Pick<
  LabelData,
  'id' | 'node_id' | 'url' | 'name' | 'description' | 'color' | 'default'
>;

/** The reaction counts of an issue or comment at `url`: the fake records no reactions. */
function reactionsJson(url: string): NonNullable<IssueData['reactions']> {
  return {
    url: `${url}/reactions`,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

/** `author_association` of an account on a repository: the owner, a collaborator (write or more) or none. */
export function authorAssociation(
  repo: FakeRepository,
  login: string,
): NonNullable<IssueJson['author_association']> {
  if (login.toLowerCase() === repo.owner.login.toLowerCase()) return 'OWNER';
  const permission: Permission = repo.collaborators.get(login.toLowerCase()) ?? 'none';
  return permission === 'none' ? 'NONE' : 'COLLABORATOR';
}

/** A label object. */
export function labelJson(repo: FakeRepository, label: FakeLabel, urls: FakeUrls): LabelJson {
  return {
    id: label.id,
    node_id: `LA_${label.id}`,
    url: `${urls.api}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

/** The issue object (pull requests too: they carry `pull_request`). */
export function issueJson(
  repo: FakeRepository,
  issue: FakeIssue,
  commentCount: number,
  urls: FakeUrls,
): IssueJson {
  const api = `${urls.api}/repos/${repo.fullName}/issues/${issue.number}`;
  const web = `${urls.web}/${repo.fullName}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`;
  return {
    id: issue.id,
    node_id: `I_${issue.id}`,
    url: api,
    repository_url: `${urls.api}/repos/${repo.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userJson(issue.user, urls),
    labels: issue.labels.flatMap((name) => {
      const label = repo.labels.get(name.toLowerCase());
      return label ? [labelJson(repo, label, urls)] : [];
    }),
    assignee: null,
    assignees: [],
    locked: false,
    active_lock_reason: null,
    milestone: null,
    comments: commentCount,
    reactions: reactionsJson(api),
    ...(issue.pull && {
      pull_request: {
        url: `${urls.api}/repos/${repo.fullName}/pulls/${issue.number}`,
        html_url: web,
        diff_url: `${web}.diff`,
        patch_url: `${web}.patch`,
        merged_at: issue.pull.mergedAt,
      },
    }),
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: authorAssociation(repo, issue.user.login),
  };
}

/** The comment object. */
export function commentJson(repo: FakeRepository, comment: FakeComment, urls: FakeUrls): CommentJson {
  const issue = repo.issues.get(comment.issueNumber);
  const url = `${urls.api}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url,
    html_url: `${urls.web}/${repo.fullName}/${issue?.pull ? 'pull' : 'issues'}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${urls.api}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(repo, comment.user.login),
    performed_via_github_app: null,
    reactions: reactionsJson(url),
  };
}
