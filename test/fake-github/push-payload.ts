import type { components } from '@octokit/openapi-webhooks-types';
import type { FakeCore } from './fake-core.ts';
import type { FakeRepository, FakeUser } from './fake-state.ts';
import type { GitCommit } from './git-store.ts';
import { cloneUrl, repositoryJson } from './shape-repository.ts';
import { userJson } from './shape-user.ts';

/** A `push` webhook payload, typed by GitHub's published webhook description. */
export type PushPayload = components['schemas']['webhook-push'];
type PushCommit = PushPayload['commits'][number];

function commitJson(core: FakeCore, repo: FakeRepository, commit: GitCommit, distinct: boolean): PushCommit {
  return {
    id: commit.sha,
    tree_id: commit.tree,
    distinct,
    message: commit.message,
    timestamp: commit.committer.date,
    url: `${core.urls.web}/${repo.fullName}/commit/${commit.sha}`,
    author: { name: commit.author.name, email: commit.author.email, date: commit.author.date },
    committer: { name: commit.committer.name, email: commit.committer.email, date: commit.committer.date },
    added: [],
    removed: [],
    modified: [],
  };
}

/**
 * The `push` payload GitHub sends when `ref` moves from `before` to `after` (40 zeros for a created or deleted ref):
 * the pushed commits (oldest first, at most 20 as on GitHub), the head commit, who pushed, and the full repository.
 */
export function pushPayload(
  core: FakeCore,
  input: {
    repo: FakeRepository;
    ref: string;
    before: string;
    after: string;
    forced: boolean;
    commits: GitCommit[];
    head: GitCommit | undefined;
    sender: FakeUser;
  },
): PushPayload {
  const { repo } = input;
  const zero = /^0+$/;
  // Push payloads carry no `permissions` of the receiver.
  const { permissions: _permissions, ...base } = repositoryJson(repo, core.urls);
  return {
    ref: input.ref,
    before: input.before,
    after: input.after,
    created: zero.test(input.before),
    deleted: zero.test(input.after),
    forced: input.forced,
    base_ref: null,
    compare: `${core.urls.web}/${repo.fullName}/compare/${input.before.slice(0, 12)}...${input.after.slice(0, 12)}`,
    commits: input.commits.slice(-20).map((commit) => commitJson(core, repo, commit, true)),
    head_commit: input.head === undefined ? null : commitJson(core, repo, input.head, true),
    pusher: { name: input.sender.login, email: null },
    repository: {
      ...base,
      id: repo.id,
      default_branch: repo.defaultBranch,
      clone_url: cloneUrl(repo, core.urls),
      archived: false,
      // Push payloads give the owner's name and email, as git pushes are about people.
      owner: {
        ...userJson(repo.owner, core.urls),
        id: repo.owner.id,
        gravatar_id: '',
        name: repo.owner.login,
        email: null,
        type: repo.owner.type,
      },
      created_at: Date.parse('2026-01-01T00:00:00Z') / 1000,
      pushed_at: Math.floor(Date.now() / 1000),
      updated_at: core.now(),
      git_url: `git://github.com/${repo.fullName}.git`,
      ssh_url: `git@github.com:${repo.fullName}.git`,
      svn_url: `${core.urls.web}/${repo.fullName}`,
      homepage: null,
      language: null,
      license: null,
      mirror_url: null,
      size: 0,
      forks: 0,
      forks_count: 0,
      open_issues: 0,
      open_issues_count: 0,
      stargazers: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      has_downloads: true,
      has_issues: true,
      has_pages: false,
      has_projects: true,
      has_wiki: true,
      has_discussions: false,
      master_branch: repo.defaultBranch,
      topics: [],
      visibility: repo.private ? 'private' : 'public',
      web_commit_signoff_required: false,
    },
    sender: { ...userJson(input.sender, core.urls), id: input.sender.id },
    installation: { id: core.app.installationId, node_id: `MDIz${core.app.installationId}` },
  };
}
