import { EnvironmentError, InputError } from '../errors/errors.ts';
import { runGit } from '../git/run-git.ts';
import type { RunBranches } from '../integrate/branch-names.ts';

/** Oldest git with `merge-tree --write-tree`, which integration relies on. */
export const MIN_GIT = [2, 38] as const;

/** What the checks found out about the repository. */
export interface RepoFacts {
  /** Top-level directory of the repository. */
  repoDir: string;
  /** Commit the base branch points at. */
  baseCommit: string;
}

/**
 * Checks, before anything is changed, that a run can start: git is new enough, the directory is a repository with
 * a clean working tree, the base exists and the run's branches collide with no existing ref. Throws
 * `EnvironmentError` or `InputError` naming the problem and its fix.
 */
export async function preflightRun(repoDir: string, base: string, branches: RunBranches): Promise<RepoFacts> {
  await assertGitVersion(repoDir);
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: repoDir, okExitCodes: [128] }).catch(
    () => undefined,
  );
  if (top === undefined || top.exitCode !== 0) {
    const bare = await runGit(['rev-parse', '--is-bare-repository'], {
      cwd: repoDir,
      okExitCodes: [128],
    }).catch(() => undefined);
    if (bare?.exitCode === 0 && bare.stdout.trim() === 'true') {
      throw new EnvironmentError(
        `${repoDir} is a bare repository (it has no working tree to run agents in); clone it ` +
          '(`git clone <path> <dir>`) and pass --repo <dir> with the clone',
      );
    }
    throw new EnvironmentError(
      `${repoDir} is not a git repository; pass --repo <dir> with the repository to work on`,
    );
  }
  const root = top.stdout.trim();
  const status = await runGit(['status', '--porcelain', '--untracked-files=no'], { cwd: root });
  const changed = status.stdout.split('\n').filter(Boolean);
  if (changed.length > 0) {
    // Porcelain lines are `XY path`: two status letters and a space before the path.
    const files = changed.slice(0, 5).map((line) => line.slice(3));
    throw new EnvironmentError(
      `the working tree of ${root} has uncommitted changes (${files.join(', ')}); commit or stash them first, so the run works from a known base`,
    );
  }
  const baseCommit = await runGit(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], {
    cwd: root,
    okExitCodes: [1],
  });
  if (baseCommit.exitCode !== 0) {
    throw new InputError(
      `base branch \`${base}\` does not exist in ${root}; pass --base with an existing branch`,
    );
  }
  await assertNoRefCollision(root, branches);
  return { repoDir: root, baseCommit: baseCommit.stdout.trim() };
}

async function assertGitVersion(cwd: string): Promise<void> {
  const version = await runGit(['--version'], { cwd }).catch(() => undefined);
  const match = version ? /(\d+)\.(\d+)/.exec(version.stdout) : null;
  if (!match) throw new EnvironmentError('git was not found on PATH; install git 2.38 or newer');
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    throw new EnvironmentError(
      `git ${major}.${minor} is too old: claude-cluster needs git ${MIN_GIT.join('.')} or newer (for merge-tree --write-tree); upgrade git`,
    );
  }
}

/** A ref cannot also be a directory: `cluster/42` and `cluster/42/tasks/a` cannot both exist. */
async function assertNoRefCollision(cwd: string, branches: RunBranches): Promise<void> {
  const runRoot = branches.directories.at(-1)!;
  const { stdout } = await runGit(['for-each-ref', '--format=%(refname)', 'refs/heads/'], { cwd });
  const refs = stdout
    .split('\n')
    .filter(Boolean)
    .map((ref) => ref.slice('refs/heads/'.length));
  for (const ref of refs) {
    if (branches.directories.includes(ref)) {
      throw new InputError(
        `branch \`${ref}\` exists, so no branch can be created under \`${ref}/\`; pass another --run-id or set another branch_prefix`,
      );
    }
    if (ref.startsWith(`${runRoot}/`)) {
      throw new InputError(
        `run \`${runRoot}\` already has branches (\`${ref}\`); pass another --run-id, or delete that run's branches first`,
      );
    }
  }
}
