import type { Endpoints } from '@octokit/types';
import type { FakeRepository } from './fake-state.ts';
import { type FakeUrls, userJson } from './shape-user.ts';

/** A repository as workflow runs embed it: `minimal-repository` in REST, "Repository Lite" in webhooks. */
export type RepositoryLiteJson = ReturnType<typeof repositoryLiteJson>;

/** A repository as pull requests (`head.repo`, `base.repo`) and webhook envelopes embed it (`repository`). */
export type RepositoryJson =
  Endpoints['GET /repos/{owner}/{repo}/pulls/{pull_number}']['response']['data']['base']['repo'];

/** The fake keeps no repository timestamps: every repository was created, updated and pushed to then. */
const EPOCH = '2026-01-01T00:00:00Z';

/** The URL git clones and pushes the repository over (smart HTTP served by the fake). */
export function cloneUrl(repo: FakeRepository, urls: FakeUrls): string {
  return `${urls.api}/git/${repo.fullName}.git`;
}

/**
 * The fields every repository object carries: what workflow runs embed (GitHub sends no clone URL or default branch
 * there).
 */
export function repositoryLiteJson(repo: FakeRepository, urls: FakeUrls) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    owner: userJson(repo.owner, urls),
    private: repo.private,
    html_url: `${urls.web}/${repo.fullName}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
  };
}

/** The `repository` object (pull requests and webhook envelopes): the lite fields, clone URLs, settings and counts. */
export function repositoryJson(repo: FakeRepository, urls: FakeUrls): RepositoryJson {
  const host = new URL(urls.web).host;
  return {
    ...repositoryLiteJson(repo, urls),
    git_url: `git://${host}/${repo.fullName}.git`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    clone_url: cloneUrl(repo, urls),
    svn_url: `${urls.web}/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    license: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    open_issues: 0,
    open_issues_count: 0,
    default_branch: repo.defaultBranch,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    visibility: repo.private ? 'private' : 'public',
    archived: false,
    disabled: false,
    pushed_at: EPOCH,
    created_at: EPOCH,
    updated_at: EPOCH,
  };
}
