import { EnvironmentError, GitError, InputError } from '../core/errors/errors.ts';

/** What the user is told about an error, and the exit code. */
export interface CliFailure {
  message: string;
  exitCode: number;
}

/**
 * The one place the CLI turns errors into user-facing messages. Bad input and an unusable environment exit 2 (the
 * repository was not changed); anything else exits 1 with the error and how to get more detail.
 */
export function describeCliError(error: unknown): CliFailure {
  if (error instanceof InputError || error instanceof EnvironmentError) {
    return { message: `claude-cluster: ${error.message}`, exitCode: 2 };
  }
  if (error instanceof GitError) {
    return { message: `claude-cluster: ${error.message}`, exitCode: 1 };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    message: `claude-cluster: ${text}\n(run again with CLUSTER_LOG_LEVEL=debug for details; the run's branches are kept)`,
    exitCode: 1,
  };
}
