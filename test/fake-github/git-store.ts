import { execFile } from 'node:child_process';
import { git, runGit } from '../../core/git/run-git.ts';

/** A commit as git stores it. */
export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

/** Author or committer of a commit. */
export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601, UTC. */
  date: string;
}

/** One entry of a tree listing. */
export interface GitTreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number | undefined;
  path: string;
}

const SHA = /^[0-9a-f]{40}$/;

/** True when the text is a full commit id. */
export function isSha(text: string): boolean {
  return SHA.test(text);
}

/** The object a revision names (`refs/heads/main`, a sha, `main:path`), or undefined when there is none. */
export async function resolveRevision(bare: string, revision: string): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', revision], {
    cwd: bare,
    okExitCodes: [1, 128],
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** The commit a branch, tag or sha names, or undefined. */
export function resolveCommit(bare: string, name: string): Promise<string | undefined> {
  if (isSha(name)) return resolveRevision(bare, `${name}^{commit}`);
  return resolveRevision(bare, `refs/heads/${name}^{commit}`).then(
    async (sha) => sha ?? (await resolveRevision(bare, `refs/tags/${name}^{commit}`)),
  );
}

/** The type of an object (`commit`, `tree`, `blob`, `tag`), or undefined when it does not exist. */
export async function objectType(bare: string, sha: string): Promise<string | undefined> {
  const result = await runGit(['cat-file', '-t', sha], { cwd: bare, okExitCodes: [1, 128] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** Every ref under `refs/` whose full name starts with `prefix` (a string prefix, as GitHub's matching-refs). */
export async function listRefs(
  bare: string,
  prefix: string,
): Promise<{ ref: string; sha: string; type: string }[]> {
  const out = await git(['for-each-ref', '--format=%(refname) %(objectname) %(objecttype)', 'refs/'], {
    cwd: bare,
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ref = '', sha = '', type = ''] = line.split(' ');
      return { ref, sha, type };
    })
    .filter((entry) => entry.ref.startsWith(prefix));
}

/**
 * Moves a ref atomically: `oldSha` '' means "must not exist yet", undefined means "whatever it is". Returns false
 * when the ref was not what the caller expected (someone else moved it) or the name collides with another ref.
 */
export async function updateRef(
  bare: string,
  ref: string,
  newSha: string,
  oldSha?: string,
): Promise<boolean> {
  const args = ['update-ref', ref, newSha, ...(oldSha === undefined ? [] : [oldSha])];
  const result = await runGit(args, { cwd: bare, okExitCodes: [1, 128] });
  return result.exitCode === 0;
}

/** Deletes a ref if it still points at `oldSha`; false when it did not. */
export async function deleteRef(bare: string, ref: string, oldSha: string): Promise<boolean> {
  const result = await runGit(['update-ref', '-d', ref, oldSha], { cwd: bare, okExitCodes: [1, 128] });
  return result.exitCode === 0;
}

/** True when `ancestor` is reachable from `descendant` (a fast-forward from one to the other). */
export async function isAncestor(bare: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await runGit(['merge-base', '--is-ancestor', ancestor, descendant], {
    cwd: bare,
    okExitCodes: [1],
  });
  return result.exitCode === 0;
}

const FIELD = '%x1f';
const RECORD = '%x1e';
const LOG_FORMAT = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join(FIELD) + RECORD;

function toUtc(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseLog(out: string): GitCommit[] {
  return out
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const [
        sha = '',
        tree = '',
        parents = '',
        an = '',
        ae = '',
        ad = '',
        cn = '',
        ce = '',
        cd = '',
        message = '',
      ] = record.split('\x1f');
      return {
        sha,
        tree,
        parents: parents.split(' ').filter(Boolean),
        author: { name: an, email: ae, date: toUtc(ad) },
        committer: { name: cn, email: ce, date: toUtc(cd) },
        message: message.replace(/\n$/, ''),
      };
    });
}

/** One commit, or undefined when the sha is not a commit of the repository. */
export async function readCommit(bare: string, sha: string): Promise<GitCommit | undefined> {
  if ((await objectType(bare, sha)) !== 'commit') return undefined;
  const out = await git(['log', '-1', `--format=${LOG_FORMAT}`, sha], { cwd: bare });
  return parseLog(out)[0];
}

/** Commits reachable from `tip` (newest first), optionally touching `path`, one page of them. */
export async function listCommits(
  bare: string,
  tip: string,
  options: { skip: number; limit: number; path?: string; exclude?: string },
): Promise<GitCommit[]> {
  const args = [
    'log',
    `--format=${LOG_FORMAT}`,
    `--skip=${options.skip}`,
    `--max-count=${options.limit}`,
    tip,
  ];
  if (options.exclude !== undefined) args.push(`^${options.exclude}`);
  if (options.path !== undefined) args.push('--', options.path);
  return parseLog(await git(args, { cwd: bare }));
}

/** Counts commits reachable from `tip` and not from `exclude`. */
export async function countCommits(bare: string, tip: string, exclude: string): Promise<number> {
  return Number(await git(['rev-list', '--count', tip, `^${exclude}`], { cwd: bare }));
}

/** The best common ancestor of two commits, or undefined for unrelated histories. */
export async function mergeBase(bare: string, a: string, b: string): Promise<string | undefined> {
  const result = await runGit(['merge-base', a, b], { cwd: bare, okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** A tree's entries (`recursive` lists sub-trees' entries too). */
export async function listTree(bare: string, treeish: string, recursive: boolean): Promise<GitTreeEntry[]> {
  const args = ['ls-tree', '-l', ...(recursive ? ['-r', '-t'] : []), treeish];
  const out = await git(args, { cwd: bare });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', sha = '', size = ''] = line.slice(0, tab).split(/\s+/);
      return {
        mode,
        type: type as GitTreeEntry['type'],
        sha,
        size: size === '-' ? undefined : Number(size),
        path: line.slice(tab + 1),
      };
    });
}

/** The bytes of a blob. */
export function readBlob(bare: string, sha: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['cat-file', 'blob', sha],
      { cwd: bare, encoding: 'buffer', maxBuffer: 100 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/** Files that differ between two commits, with line counts (`-` counts for binary files are 0). */
export async function diffFiles(
  bare: string,
  from: string,
  to: string,
): Promise<{ filename: string; status: string; additions: number; deletions: number }[]> {
  const [numstat, names] = await Promise.all([
    git(['diff', '--numstat', '--no-renames', from, to], { cwd: bare }),
    git(['diff', '--name-status', '--no-renames', from, to], { cwd: bare }),
  ]);
  const statuses = new Map(
    names
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [code = '', path = ''] = line.split('\t');
        return [path, code] as const;
      }),
  );
  const words: Record<string, string> = { A: 'added', D: 'removed', M: 'modified', T: 'changed' };
  return numstat
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [added = '0', deleted = '0', filename = ''] = line.split('\t');
      return {
        filename,
        status: words[statuses.get(filename) ?? 'M'] ?? 'modified',
        additions: Number(added) || 0,
        deletions: Number(deleted) || 0,
      };
    });
}

/** Writes a commit object (no ref moves) and returns its sha. */
export async function writeCommit(
  bare: string,
  input: {
    tree: string;
    parents: string[];
    message: string;
    author?: Partial<GitPerson>;
    committer?: Partial<GitPerson>;
  },
): Promise<string> {
  const person = (who: Partial<GitPerson> | undefined, role: 'AUTHOR' | 'COMMITTER') => ({
    [`GIT_${role}_NAME`]: who?.name ?? 'GitHub',
    [`GIT_${role}_EMAIL`]: who?.email ?? 'noreply@github.com',
    ...(who?.date === undefined ? {} : { [`GIT_${role}_DATE`]: who.date }),
  });
  const args = ['commit-tree', input.tree, ...input.parents.flatMap((parent) => ['-p', parent])];
  return git(args, {
    cwd: bare,
    input: input.message,
    env: { ...person(input.author, 'AUTHOR'), ...person(input.committer ?? input.author, 'COMMITTER') },
  });
}

/** The tree of merging `theirs` into `ours` in memory, or undefined on a conflict. */
export async function mergeTrees(bare: string, ours: string, theirs: string): Promise<string | undefined> {
  const result = await runGit(['merge-tree', '--write-tree', ours, theirs], { cwd: bare, okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.split('\n')[0]?.trim() : undefined;
}
