/**
 * The agent contract shared by every runtime: an agent runs in a directory with the prompt on stdin (or
 * as the SDK prompt), with `CLUSTER_*` variables in its environment, and exit 0 means success. The engine,
 * not the agent, commits what changed.
 */

/** Why the agent is being run. */
export type AgentMode = 'plan' | 'task' | 'resolve';

/** One agent invocation. */
export interface AgentRunInput {
  mode: AgentMode;
  /** Directory the agent works in (a task worktree, a conflicted worktree, or the repo for planning). */
  cwd: string;
  prompt: string;
  runId: string;
  /** Task id; absent in `plan` mode. */
  taskId?: string;
  taskTitle?: string;
  /** Stop the agent (its whole process group) after this many milliseconds. */
  timeoutMs?: number;
  /** Most this invocation may spend, in USD (agents that cannot enforce it ignore it). */
  budgetUsd?: number;
  /** Aborting stops the agent at once (Ctrl-C, run cancelled). */
  signal?: AbortSignal;
}

/** What an agent invocation produced. */
export interface AgentRunResult {
  /** True when the agent exited 0 and reported no error. */
  ok: boolean;
  /** Process exit code, when there was a process. */
  exitCode: number | null;
  /** The invocation hit `timeoutMs`. */
  timedOut: boolean;
  /** The invocation was aborted through `signal`. */
  aborted: boolean;
  /** Everything the agent printed on stdout (capped); in `plan` mode it holds the plan. */
  stdout: string;
  /** The agent's final message or a short summary of its work, for commit messages and reports. */
  summary: string;
  /** Cost reported by the agent, in USD. */
  costUsd?: number;
  /** Turns reported by the agent. */
  turns?: number;
  /** Why it failed, in one sentence a user can act on. */
  error?: string;
  durationMs: number;
}

/** An agent the engine can run. */
export interface Agent {
  /** Shown in logs and reports, e.g. `claude-code` or the command line. */
  readonly name: string;
  /**
   * Checks the environment before any task starts (credentials, executable); throws an
   * `EnvironmentError` naming what to set when the agent cannot run.
   */
  preflight(): Promise<void>;
  run(input: AgentRunInput): Promise<AgentRunResult>;
}
