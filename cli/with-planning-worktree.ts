import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorktreeSet } from '../core/git/worktrees.ts';

/**
 * Runs `work` with a throwaway detached worktree of the base commit, so a planning agent reads the code as the run
 * will start from it and cannot change the user's checkout. The worktree is removed afterwards.
 */
export async function withPlanningWorktree<T>(
  repoDir: string,
  commit: string,
  work: (cwd: string) => Promise<T>,
): Promise<T> {
  const parent = await mkdtemp(join(tmpdir(), 'claude-cluster-plan-'));
  const worktrees = new WorktreeSet(repoDir);
  const dir = join(parent, 'plan');
  try {
    await worktrees.addDetached(dir, commit);
    return await work(dir);
  } finally {
    await worktrees.removeAll();
    await rm(parent, { recursive: true, force: true });
  }
}
