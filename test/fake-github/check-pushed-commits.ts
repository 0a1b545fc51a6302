import { spawn } from 'node:child_process';

/** 40 zeros: the old value of a created ref, the new value of a deleted one. */
export const ZERO_SHA = '0'.repeat(40);

/** One ref a push updates. */
export interface PushedRef {
  ref: string;
  before: string;
  after: string;
}

/** What a push is checked against. */
export interface PushRules {
  /** Whether the pusher may create, change or delete files under `.github/workflows/` (a GitHub App needs `workflows`). */
  mayChangeWorkflows: boolean;
  /** The largest blob a push may add, in bytes (GitHub: 100 MiB). */
  maxFileBytes: number;
}

/**
 * Runs git in `gitDir` (dependency-free: the fake's pre-receive hook runs this module in its own process). In a
 * pre-receive hook the environment git set up (the quarantine object directory) is inherited, so new objects are seen.
 */
function git(gitDir: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: gitDir,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`git ${args.join(' ')} in ${gitDir} exited ${code}: ${err.trim()}`)),
    );
    child.stdin?.end(input);
  });
}

/** Megabytes as GitHub prints them in GH001 (two decimals of MiB). */
function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(2);
}

/** Paths under `.github/workflows/` that a commit changes relative to every one of its parents (a merge that only takes one side's file changes nothing). */
async function workflowChanges(gitDir: string, commit: string): Promise<string[]> {
  const [, ...parents] = (await git(gitDir, ['rev-list', '--parents', '-n', '1', commit])).trim().split(' ');
  const changed = async (parent: string | undefined) =>
    (
      await git(gitDir, [
        'diff-tree',
        '-r',
        '--no-commit-id',
        '--name-only',
        ...(parent === undefined ? ['--root', commit] : [parent, commit]),
        '--',
        '.github/workflows/',
      ])
    )
      .split('\n')
      .filter((line) => line !== '');
  if (parents.length === 0) return changed(undefined);
  let paths = await changed(parents[0]);
  for (const parent of parents.slice(1)) {
    const other = new Set(await changed(parent));
    paths = paths.filter((path) => other.has(path));
  }
  return paths;
}

/**
 * The reasons GitHub would refuse a push, checked on the commits it adds to the repository (reachable from a new ref
 * value and from no existing ref): a file under `.github/workflows/` created, changed or deleted by a pusher without
 * the `workflows` permission, and files larger than the limit (GH001). Empty when the push is accepted.
 */
export async function pushRefusals(gitDir: string, refs: PushedRef[], rules: PushRules): Promise<string[]> {
  const tips = refs.map((ref) => ref.after).filter((sha) => sha !== ZERO_SHA);
  if (tips.length === 0) return [];
  const refusals: string[] = [];
  if (!rules.mayChangeWorkflows) {
    const commits = (await git(gitDir, ['rev-list', ...tips, '--not', '--all'])).split('\n').filter(Boolean);
    const paths = new Set<string>();
    for (const commit of commits) for (const path of await workflowChanges(gitDir, commit)) paths.add(path);
    for (const path of [...paths].sort())
      refusals.push(
        `refusing to allow a GitHub App to create or update workflow \`${path}\` without \`workflows\` permission`,
      );
  }
  const objects = (await git(gitDir, ['rev-list', '--objects', ...tips, '--not', '--all']))
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const space = line.indexOf(' ');
      return space < 0 ? { sha: line, path: '' } : { sha: line.slice(0, space), path: line.slice(space + 1) };
    });
  if (objects.length > 0) {
    const sizes = (
      await git(
        gitDir,
        ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'],
        `${objects.map((object) => object.sha).join('\n')}\n`,
      )
    ).split('\n');
    const large = objects.flatMap((object, index) => {
      const [, type, size] = (sizes[index] ?? '').split(' ');
      return type === 'blob' && Number(size) > rules.maxFileBytes ? [{ ...object, size: Number(size) }] : [];
    });
    for (const file of large)
      refusals.push(
        `File ${file.path} is ${megabytes(file.size)} MB; this exceeds GitHub's file size limit of ${megabytes(rules.maxFileBytes)} MB`,
      );
    if (large.length > 0)
      refusals.push(
        'GH001: Large files detected. You may want to try Git Large File Storage - https://git-lfs.github.com.',
      );
  }
  return refusals;
}
