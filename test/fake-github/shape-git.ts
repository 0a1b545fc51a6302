import type { Endpoints } from '@octokit/types';
import type { FakeRepository } from './fake-state.ts';
import type { GitCommit, GitTreeEntry } from './git-store.ts';
import type { FakeUrls } from './shape-user.ts';

type RefData = Endpoints['GET /repos/{owner}/{repo}/git/ref/{ref}']['response']['data'];
type GitCommitData = Endpoints['GET /repos/{owner}/{repo}/git/commits/{commit_sha}']['response']['data'];
type CommitData = Endpoints['GET /repos/{owner}/{repo}/commits/{ref}']['response']['data'];
type TreeData = Endpoints['GET /repos/{owner}/{repo}/git/trees/{tree_sha}']['response']['data'];
type DiffEntry = NonNullable<CommitData['files']>[number];

/** A ref (`refs/heads/x`) as the git refs API returns it. */
export type RefJson = RefData;
/** A commit as the git database API returns it. */
export type GitCommitJson = GitCommitData;
/** A commit as the commits and compare APIs return it (with `files` when asked for one commit). */
export type CommitJson = Pick<
  CommitData,
  | 'url'
  | 'sha'
  | 'node_id'
  | 'html_url'
  | 'comments_url'
  | 'commit'
  | 'author'
  | 'committer'
  | 'parents'
  | 'files'
>;
/** A tree listing. */
export type TreeJson = TreeData;
/** One changed file of a comparison. */
export type FileJson = Pick<
  DiffEntry,
  | 'sha'
  | 'filename'
  | 'status'
  | 'additions'
  | 'deletions'
  | 'changes'
  | 'blob_url'
  | 'raw_url'
  | 'contents_url'
>;

/** A ref object. */
export function refJson(
  repo: FakeRepository,
  ref: string,
  sha: string,
  type: string,
  urls: FakeUrls,
): RefJson {
  const api = `${urls.api}/repos/${repo.fullName}/git`;
  return {
    ref,
    node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
    url: `${api}/${ref}`,
    object: { type, sha, url: `${api}/${type}s/${sha}` },
  };
}

/** A commit of the git database API. */
export function gitCommitJson(repo: FakeRepository, commit: GitCommit, urls: FakeUrls): GitCommitJson {
  const api = `${urls.api}/repos/${repo.fullName}/git`;
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${api}/commits/${commit.sha}`,
    html_url: `${urls.web}/${repo.fullName}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${api}/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${urls.web}/${repo.fullName}/commit/${sha}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** A commit of the commits API (authors are not linked to accounts: `author` and `committer` are null). */
export function commitJson(
  repo: FakeRepository,
  commit: GitCommit,
  urls: FakeUrls,
  files?: FileJson[],
): CommitJson {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    html_url: `${urls.web}/${repo.fullName}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${urls.web}/${repo.fullName}/commit/${sha}`,
    })),
    ...(files === undefined ? {} : { files }),
  };
}

/** A changed file between two commits. */
export function fileJson(
  repo: FakeRepository,
  file: { filename: string; status: string; additions: number; deletions: number },
  headSha: string,
  urls: FakeUrls,
): FileJson {
  return {
    sha: null,
    filename: file.filename,
    status: file.status as FileJson['status'],
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${urls.web}/${repo.fullName}/blob/${headSha}/${file.filename}`,
    raw_url: `${urls.web}/${repo.fullName}/raw/${headSha}/${file.filename}`,
    contents_url: `${urls.api}/repos/${repo.fullName}/contents/${file.filename}?ref=${headSha}`,
  };
}

/** A tree listing. */
export function treeJson(
  repo: FakeRepository,
  sha: string,
  entries: GitTreeEntry[],
  urls: FakeUrls,
): TreeJson {
  const api = `${urls.api}/repos/${repo.fullName}/git`;
  return {
    sha,
    url: `${api}/trees/${sha}`,
    truncated: false,
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.size === undefined ? {} : { size: entry.size }),
      url: `${api}/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`,
    })),
  };
}
