import { runGit } from './run-git.ts';

/** The identity the engine commits as when the repository configures none. */
export const FALLBACK_IDENTITY = { name: 'claude-cluster', email: 'claude-cluster@users.noreply.github.com' };

/**
 * Environment that makes commits work in any repository: the user's configured identity is kept; where none is
 * configured (fresh CI machines, containers) the engine's own is used instead of failing mid-run.
 */
export async function commitIdentityEnv(repoDir: string): Promise<NodeJS.ProcessEnv> {
  const read = async (key: string) =>
    (await runGit(['config', '--get', key], { cwd: repoDir, okExitCodes: [1] })).stdout.trim();
  const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
  const env: NodeJS.ProcessEnv = {};
  if (!name) {
    env.GIT_AUTHOR_NAME = FALLBACK_IDENTITY.name;
    env.GIT_COMMITTER_NAME = FALLBACK_IDENTITY.name;
  }
  if (!email) {
    env.GIT_AUTHOR_EMAIL = FALLBACK_IDENTITY.email;
    env.GIT_COMMITTER_EMAIL = FALLBACK_IDENTITY.email;
  }
  return env;
}
