import { EnvironmentError, GitError, InputError } from '../core/errors/errors.ts';

/**
 * The one place the action turns an error into the message `core.setFailed` shows. Input and environment errors
 * already name the target and the fix; anything else is reported with where to look.
 */
export function describeActionError(error: unknown): string {
  if (error instanceof InputError || error instanceof EnvironmentError || error instanceof GitError) {
    return `claude-cluster: ${error.message}`;
  }
  const text = error instanceof Error ? error.message : String(error);
  return `claude-cluster: ${text} (re-run the job with CLUSTER_LOG_LEVEL=debug in its env for details; pushed branches are kept)`;
}
