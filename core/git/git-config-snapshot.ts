import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { BranchStore } from '../integrate/branch-store.ts';
import { runGit } from './run-git.ts';

/** The git config files of a checkout and their content when the snapshot was taken (undefined: absent). */
export interface GitConfigSnapshot {
  files: Map<string, string | undefined>;
  /** Puts every file back as it was; returns the paths it had to change. */
  restore(): Promise<string[]>;
}

/**
 * Records the config files git reads for `repoDir` and that an agent running there could write: the repository's
 * `config` and `config.worktree`, and the user's `~/.gitconfig` and `$XDG_CONFIG_HOME/git/config`. Restoring them
 * before the engine talks to the remote undoes whatever the agent planted there that no command-line override can
 * neutralise: `remote.origin.pushurl`, `url.<x>.insteadOf`, `http.proxy`, `http.sslVerify`, `core.worktree`…
 */
export async function snapshotGitConfig(
  repoDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GitConfigSnapshot> {
  const paths = await configPaths(repoDir, env);
  const files = new Map<string, string | undefined>();
  for (const path of paths) files.set(path, await readFile(path, 'utf8').catch(() => undefined));
  return {
    files,
    async restore() {
      const changed: string[] = [];
      for (const [path, content] of files) {
        const now = await readFile(path, 'utf8').catch(() => undefined);
        if (now === content) continue;
        changed.push(path);
        if (content === undefined) await rm(path, { force: true, recursive: true });
        else {
          // A directory planted under the file's name must go first.
          await rm(path, { force: true, recursive: true });
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, content);
        }
      }
      return changed;
    },
  };
}

/** `store` with the config restored from `snapshot` before every fetch and push. */
export function withGitConfigRestored(store: BranchStore, snapshot: GitConfigSnapshot): BranchStore {
  return {
    repoDir: store.repoDir,
    label: store.label,
    head: async (branch) => {
      await snapshot.restore();
      return store.head(branch);
    },
    compareAndSwap: async (branch, next, expected, reason) => {
      await snapshot.restore();
      return store.compareAndSwap(branch, next, expected, reason);
    },
  };
}

async function configPaths(repoDir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir', '--git-dir'], {
    cwd: repoDir,
  });
  const [common = '', gitDir = ''] = stdout.trim().split('\n');
  const home = env.HOME ?? homedir();
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  const paths = [
    join(common, 'config'),
    join(common, 'config.worktree'),
    join(gitDir, 'config.worktree'),
    join(home, '.gitconfig'),
    join(xdg, 'git', 'config'),
    ...(env.GIT_CONFIG_GLOBAL ? [env.GIT_CONFIG_GLOBAL] : []),
  ]
    .filter((path) => path !== '/dev/null')
    .map((path) => resolve(repoDir, path));
  return [...new Set(paths)];
}
