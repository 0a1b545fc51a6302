import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Agent, AgentRunInput, AgentRunResult } from '../agent/agent-contract.ts';
import { runGit } from '../git/run-git.ts';
import type { WorktreeSet } from '../git/worktrees.ts';
import type { LedgerTarget } from './append-ledger-entry.ts';
import { hasConflictMarkers } from './conflict-excerpt.ts';
import { commitProjectedMerge, type LedgerHeads } from './project-merge.ts';

/** One conflict resolution by an agent. */
export interface ResolveConflictInput {
  target: LedgerTarget;
  worktrees: WorktreeSet;
  /** Where to create the worktree holding the conflict. */
  worktreeDir: string;
  /** Heads the conflict was found on; the resolution is published only if the ledger is still there. */
  heads: LedgerHeads;
  taskBranch: string;
  taskCommit: string;
  agent: Agent;
  /** The agent invocation (mode `resolve`), without `cwd`. */
  agentInput: Omit<AgentRunInput, 'cwd' | 'mode'>;
  /** Ledger message of the merge commit, used when the resolution is accepted. */
  message: (result: AgentRunResult) => string;
  /**
   * Names a file changed between two trees that holds a secret of the job, if any: a resolution holding one is
   * refused, never published.
   */
  findSecret?: (from: string, to: string) => Promise<string | undefined>;
  /**
   * Describes a change between two trees that the push would be refused for (task mode: a workflow file, a file over
   * GitHub's limit), if any: such a resolution is refused, since it cannot be split from the merge.
   */
  findRefused?: (from: string, to: string) => Promise<string | undefined>;
  /** Message of the integration branch's merge (see `projectedMergeMessage`). */
  mergeMessage: string;
}

/** How a resolution attempt ended. */
export type ResolveConflictResult =
  | { resolved: true; commit: string; agent: AgentRunResult }
  | { resolved: false; reason: string; agent?: AgentRunResult };

/**
 * Lets the agent resolve a conflict in a worktree holding it (a real `git merge` left unfinished). The resolution
 * is accepted only if the agent exits 0, no file still holds conflict markers and git has no unmerged path; then it
 * becomes the task's merge (projected and ledger merge, see `commitProjectedMerge`). The worktree is removed either way.
 */
export async function resolveConflictWithAgent(input: ResolveConflictInput): Promise<ResolveConflictResult> {
  const { target, worktreeDir: dir } = input;
  await input.worktrees.addDetached(dir, input.heads.projected);
  try {
    const env = target.env;
    const merge = await runGit(['merge', '--no-ff', '--no-commit', input.taskBranch], {
      cwd: dir,
      env,
      okExitCodes: [1],
    });
    const conflicted = await unmergedFiles(dir);
    if (merge.exitCode === 0 || conflicted.length === 0) {
      return {
        resolved: false,
        reason: 'git merged the branch without a conflict in the worktree; nothing to resolve',
      };
    }
    const agent = await input.agent.run({ ...input.agentInput, mode: 'resolve', cwd: dir });
    if (!agent.ok) {
      return {
        resolved: false,
        reason: `the agent did not resolve it: ${agent.error ?? 'it failed'}`,
        agent,
      };
    }
    const leftovers: string[] = [];
    for (const file of conflicted) {
      const text = await readFile(join(dir, file), 'utf8').catch(() => '');
      if (hasConflictMarkers(text)) leftovers.push(file);
    }
    if (leftovers.length > 0) {
      return { resolved: false, reason: `conflict markers remain in ${leftovers.join(', ')}`, agent };
    }
    await runGit(['add', '-A'], { cwd: dir });
    const still = await unmergedFiles(dir);
    if (still.length > 0)
      return { resolved: false, reason: `git still lists unmerged ${still.join(', ')}`, agent };
    const tree = (await runGit(['write-tree'], { cwd: dir })).stdout.trim();
    const leak = await input.findSecret?.(input.heads.ledgerHead, tree);
    if (leak !== undefined) {
      return {
        resolved: false,
        reason: `the resolution holds a secret of this job (a token or model key) in \`${leak}\`; it was not committed`,
        agent,
      };
    }
    const refused = await input.findRefused?.(input.heads.ledgerHead, tree);
    if (refused !== undefined) {
      return { resolved: false, reason: `the resolution ${refused}; it was not committed`, agent };
    }
    const { ledgerCommit } = await commitProjectedMerge(dir, env, {
      tree,
      heads: input.heads,
      taskCommit: input.taskCommit,
      mergeMessage: input.mergeMessage,
      ledgerMessage: input.message(agent),
    });
    const published = await target.store.compareAndSwap(
      target.ledgerBranch,
      ledgerCommit,
      input.heads.ledgerHead,
      `cluster: resolve ${input.taskBranch}`,
    );
    if (!published) {
      return {
        resolved: false,
        reason: `\`${target.ledgerBranch}\` moved while the conflict was being resolved`,
        agent,
      };
    }
    return { resolved: true, commit: ledgerCommit, agent };
  } finally {
    await runGit(['merge', '--abort'], { cwd: dir, okExitCodes: [128] }).catch(() => undefined);
    await input.worktrees.remove(dir);
  }
}

async function unmergedFiles(dir: string): Promise<string[]> {
  const { stdout } = await runGit(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd: dir });
  return [...new Set(stdout.split('\0').filter(Boolean))];
}
