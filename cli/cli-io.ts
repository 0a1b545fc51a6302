/** The process streams and cancellation signal a command uses; tests pass their own. */
/** A stream the CLI writes to; TTY streams get live progress. */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Aborted on Ctrl-C: agents are stopped, worktrees removed, the report still printed. */
  signal: AbortSignal;
}
