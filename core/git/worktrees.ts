import { rm } from 'node:fs/promises';
import pLimit from 'p-limit';
import { runGit } from './run-git.ts';

/**
 * Keeps track of the worktrees a run creates so they are all removed at the end, also after a failure or Ctrl-C.
 * Branches are never deleted here: a task's branch outlives its worktree.
 */
export class WorktreeSet {
  readonly #repoDir: string;
  readonly #dirs = new Set<string>();
  /**
   * `git worktree add` reads every other worktree's record; one being written at the same moment makes it fail
   * ("failed to read .git/worktrees/x/commondir"), so changes to the set of worktrees happen one at a time.
   */
  readonly #serial = pLimit(1);

  constructor(repoDir: string) {
    this.#repoDir = repoDir;
  }

  /** `git worktree add` with a new branch at `commit`. */
  async addOnNewBranch(dir: string, branch: string, commit: string): Promise<void> {
    this.#dirs.add(dir);
    await this.#serial(() =>
      runGit(['worktree', 'add', '--quiet', '-b', branch, dir, commit], { cwd: this.#repoDir }),
    );
  }

  /** `git worktree add --detach` at `commit`. */
  async addDetached(dir: string, commit: string): Promise<void> {
    this.#dirs.add(dir);
    await this.#serial(() =>
      runGit(['worktree', 'add', '--quiet', '--detach', dir, commit], { cwd: this.#repoDir }),
    );
  }

  /** Removes one worktree (forcefully: its work is already committed or deliberately dropped). */
  async remove(dir: string): Promise<void> {
    await runGit(['worktree', 'remove', '--force', '--force', dir], {
      cwd: this.#repoDir,
      okExitCodes: [128],
    });
    await rm(dir, { recursive: true, force: true });
    this.#dirs.delete(dir);
  }

  /** Removes every worktree still tracked and prunes git's records of them. */
  async removeAll(): Promise<void> {
    for (const dir of [...this.#dirs]) await this.remove(dir);
    await this.#serial(() => runGit(['worktree', 'prune'], { cwd: this.#repoDir, okExitCodes: [128] }));
  }

  /** Directories still tracked. */
  get size(): number {
    return this.#dirs.size;
  }
}
