import { lstat, rm, rmdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EnvironmentError } from '../errors/errors.ts';
import { git, runGit } from './run-git.ts';

/** Where to restore agent configuration. */
export interface RestoreAgentConfigOptions {
  /** The checked-out workspace (a pull request's head). */
  repoDir: string;
  /** The trusted branch or commit the configuration comes from (the pull request's base). */
  baseRef: string;
}

/** File names that steer Claude Code wherever they sit in the tree (it reads nested memory files too). */
const STEERING_FILE_NAMES = new Set(['CLAUDE.md', 'CLAUDE.local.md', '.mcp.json']);
/** Directory names whose whole content is agent configuration wherever they sit (settings, hooks, commands). */
const STEERING_DIRECTORY_NAMES = new Set(['.claude']);
/** Top-level paths that run code through git or hook managers. */
const ROOT_CODE_PATHS = ['.gitmodules', '.husky', '.githooks'];

/**
 * Puts the agent configuration of `baseRef` back into the workspace before an agent runs on a pull request, so a
 * contributor cannot steer the agent or run code through it: every `.claude/` directory, `CLAUDE.md`,
 * `CLAUDE.local.md` and `.mcp.json` (at any depth), `.gitmodules`, `.husky/`, `.githooks/` and the directory
 * `core.hooksPath` names when it lies inside the repository. Changed paths are checked out from the base
 * (`git checkout <base> -- …`); paths the base does not have are removed (`git rm`, or deleted when untracked).
 * The index is updated as well. Returns the repository-relative paths it changed, sorted.
 */
export async function restoreAgentConfig({ repoDir, baseRef }: RestoreAgentConfigOptions): Promise<string[]> {
  const base = await resolveBase(repoDir, baseRef);
  // Every path below is relative to the top of the repository, whatever directory was given.
  const root = await git(['rev-parse', '--show-toplevel'], { cwd: repoDir });
  const isProtected = protectedPathMatcher(await hooksPathInRepo(root));
  // Status of each path between the base and the working tree; `A` means the base does not have it.
  const statuses = parseNameStatus(
    await git(['diff', '--name-status', '--no-renames', '-z', base, '--'], { cwd: root }),
  );
  // Untracked files an earlier step may have written are not on the base unless the diff says so (`D`);
  // ignored files are left alone: they never come from a pull request.
  for (const path of splitNul(
    await git(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: root }),
  )) {
    if (!statuses.has(path)) statuses.set(path, 'A');
  }
  const changed = [...statuses.keys()].filter(isProtected).sort();
  if (changed.length === 0) return [];
  const toRestore = changed.filter((path) => statuses.get(path) !== 'A');
  const toRemove = changed.filter((path) => statuses.get(path) === 'A');

  // Removals first: a path added as a file or symlink (`.claude` → elsewhere) must be gone before the base's
  // files are written beneath the same name.
  if (toRemove.length > 0) await removePaths(root, toRemove);
  if (toRestore.length > 0) {
    await runGit(['checkout', base, '--pathspec-from-file=-', '--pathspec-file-nul'], {
      cwd: root,
      input: toNulList(toRestore),
      env: LITERAL,
    });
  }
  return changed;
}

/** Paths are data, never pathspec magic: a file named `:(glob)*` must not match everything. */
const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

/** The base as a commit id; a missing base is a checkout problem the workflow must fix. */
async function resolveBase(repoDir: string, baseRef: string): Promise<string> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${baseRef}^{commit}`],
    {
      cwd: repoDir,
      okExitCodes: [1],
    },
  );
  if (exitCode !== 0 || stdout.trim() === '') {
    throw new EnvironmentError(
      `the base \`${baseRef}\` is not in the checkout at ${repoDir}, so the agent configuration cannot be ` +
        'restored from it; check out with full history (actions/checkout with `fetch-depth: 0`) or fetch the base first',
    );
  }
  return stdout.trim();
}

/** `core.hooksPath` relative to the repository root, or undefined when unset or outside the repository. */
async function hooksPathInRepo(root: string): Promise<string | undefined> {
  // The engine's own `-c core.hooksPath=/dev/null` (scope `command`) is not the repository's setting: skip it.
  const { stdout, exitCode } = await runGit(['config', '--show-scope', '--get-all', 'core.hooksPath'], {
    cwd: root,
    okExitCodes: [1],
  });
  const value = stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('command\t'))
    .map((line) => line.slice(line.indexOf('\t') + 1))
    .at(-1)
    ?.trim();
  if (exitCode !== 0 || value === undefined || value === '') return undefined;
  const inRepo = relative(root, resolve(root, value)).split(sep).join('/');
  // Outside the tree (e.g. /etc/git-hooks) nothing a pull request changes can reach it.
  if (inRepo === '' || inRepo.startsWith('../') || inRepo === '..' || isAbsolute(inRepo)) return undefined;
  return inRepo;
}

/** Decides whether a repository-relative path is agent configuration or code run by git. */
function protectedPathMatcher(hooksPath: string | undefined): (path: string) => boolean {
  const roots = hooksPath === undefined ? ROOT_CODE_PATHS : [...ROOT_CODE_PATHS, hooksPath];
  return (path) => {
    const parts = path.split('/');
    const name = parts.at(-1) ?? '';
    if (STEERING_FILE_NAMES.has(name)) return true;
    if (parts.some((part) => STEERING_DIRECTORY_NAMES.has(part))) return true;
    return roots.some((root) => path === root || path.startsWith(`${root}/`));
  };
}

/** Removes paths from the index (when tracked) and from disk, then the directories that became empty. */
async function removePaths(repoDir: string, paths: string[]): Promise<void> {
  await runGit(
    ['rm', '-r', '-f', '-q', '--cached', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'],
    { cwd: repoDir, input: toNulList(paths), env: LITERAL },
  );
  for (const path of paths) {
    await rm(join(repoDir, path), { recursive: true, force: true });
    await removeEmptyParents(repoDir, path);
  }
}

async function removeEmptyParents(repoDir: string, path: string): Promise<void> {
  const parts = path.split('/').slice(0, -1);
  while (parts.length > 0) {
    const dir = join(repoDir, ...parts);
    try {
      if (!(await lstat(dir)).isDirectory()) return;
      await rmdir(dir);
    } catch {
      // Not empty (or already gone): the directories above are not empty either.
      return;
    }
    parts.pop();
  }
}

/** `git diff --name-status -z` output (status, path, status, path…) as path → status letter. */
function parseNameStatus(output: string): Map<string, string> {
  const fields = splitNul(output);
  const statuses = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) {
    statuses.set(fields[index + 1] as string, (fields[index] as string).charAt(0));
  }
  return statuses;
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((path) => path !== '');
}

function toNulList(paths: string[]): string {
  return `${paths.join('\0')}\0`;
}
