import type { Agent, AgentRunInput, AgentRunResult } from '../agent/agent-contract.ts';
import { commitWorktree } from '../git/commit-worktree.ts';
import { runGit } from '../git/run-git.ts';
import { type WithheldChange, type WithholdRules, withholdChanges } from '../git/withhold-changes.ts';
import type { WorktreeSet } from '../git/worktrees.ts';
import { findCommittedSecret, redactAgentResult, redactSecrets } from './job-secrets.ts';

/** One run of a task's agent on its own branch. */
export interface TaskAttemptInput {
  repoDir: string;
  /**
   * Where the agent works: a new worktree at `dir` (local runs, many tasks at once), or the checkout at `dir` itself
   * (an Actions job, whose setup steps prepared that checkout; it must be clean).
   */
  workspace: { kind: 'worktree'; worktrees: WorktreeSet } | { kind: 'checkout' };
  dir: string;
  /** The task branch, created here from `startCommit`. */
  branch: string;
  /** The integration head when the task started: a dependent task sees its dependencies' integrated work. */
  startCommit: string;
  agent: Agent;
  agentInput: Omit<AgentRunInput, 'cwd' | 'mode'>;
  /** Commit identity environment. */
  env: NodeJS.ProcessEnv;
  /**
   * The job's secrets (tokens, model keys) as plain values: redacted from the agent's output, and work that holds one
   * is refused (the task fails and nothing of it is committed).
   */
  secrets?: readonly string[];
  /**
   * What the branch's push may not carry (task mode on GitHub: workflow files, files over the size limit): such
   * changes are left out of the commit and returned as withheld. Absent: everything is committed (local runs).
   */
  withhold?: WithholdRules;
  /** Message of the commit holding the agent's work. */
  commitMessage: (result: AgentRunResult) => string;
  /** Called as soon as the agent has exited, before its work is committed. */
  onAgentDone?: () => void;
  /**
   * Runs right before the agent (e.g. restore trusted agent configuration) and right after it (undo that, so the
   * task's commit holds only the agent's own work).
   */
  around?: { beforeAgent(dir: string): Promise<void>; afterAgent(dir: string): Promise<void> };
}

/** The attempt's outcome: the agent's result and what is on the branch. */
export interface TaskAttemptResult {
  agent: AgentRunResult;
  /** Head of the task branch after the engine committed the agent's work. */
  head: string;
  /** Files changed on the branch since `startCommit`. */
  files: string[];
  /** Changes left out of the branch because GitHub would refuse them (see `withhold`). */
  withheld: WithheldChange[];
}

/**
 * Creates the task's branch (in a new worktree or the given checkout), runs the agent there, and commits whatever it
 * changed, also when the agent failed or timed out: partial work is kept on the branch. A worktree is removed
 * afterwards; the branch stays.
 */
export async function runTaskAttempt(input: TaskAttemptInput): Promise<TaskAttemptResult> {
  const { dir, env, workspace } = input;
  if (workspace.kind === 'worktree')
    await workspace.worktrees.addOnNewBranch(dir, input.branch, input.startCommit);
  else {
    // Forced and cleaned: an earlier attempt's agent may have left the checkout on another branch or dirty (its work
    // is already committed on its own branch).
    await runGit(['checkout', '--quiet', '--force', '-B', input.branch, input.startCommit], { cwd: dir });
    await runGit(['clean', '-fdq'], { cwd: dir });
  }
  try {
    await input.around?.beforeAgent(dir);
    const secrets = input.secrets ?? [];
    const agent = redactAgentResult(
      await input.agent.run({ ...input.agentInput, mode: 'task', cwd: dir }),
      secrets,
    );
    input.onAgentDone?.();
    await input.around?.afterAgent(dir);
    // Plumbing against the task's own branch: whatever the agent did to HEAD, no other branch moves.
    const message = input.commitMessage(agent);
    const committed = await commitWorktree({
      dir,
      branch: input.branch,
      startCommit: input.startCommit,
      env,
      message,
    });
    const { head } = committed;
    const leak = await findCommittedSecret(dir, input.startCommit, head, secrets);
    if (leak !== undefined) {
      // The branch goes back to where it started: the work is never pushed, merged or shown.
      await runGit(['update-ref', `refs/heads/${input.branch}`, input.startCommit, head], { cwd: dir });
      const error =
        `the agent's work holds a secret of this job (a token or model key) in \`${redactSecrets(leak, secrets)}\`; ` +
        'nothing of it was committed or pushed. Find out why the agent could read the secret and run the task again';
      return { agent: { ...agent, ok: false, error }, head: input.startCommit, files: [], withheld: [] };
    }
    // After the secret check: a withheld change is carried in the ledger, so it must hold no secret either.
    if (input.withhold === undefined) return { agent, ...committed, withheld: [] };
    const kept = await withholdChanges({
      dir,
      branch: input.branch,
      startCommit: input.startCommit,
      head,
      env,
      message,
      rules: input.withhold,
    });
    return { agent, ...kept };
  } finally {
    if (workspace.kind === 'worktree') await workspace.worktrees.remove(dir);
  }
}
