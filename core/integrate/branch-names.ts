import { z } from 'zod';

/** A run id: becomes one component of every branch the run creates. */
export const RunIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, {
    message: 'a run id is 1–63 lowercase letters, digits, `.`, `_` or `-`, starting with a letter or digit',
  })
  .refine((id) => !id.includes('..') && !id.endsWith('.lock') && !id.endsWith('.'), {
    message: 'a run id must not contain `..` or end with `.` or `.lock` (git refuses such names)',
  });

/** The branches of one run. */
export interface RunBranches {
  /**
   * `<prefix>/<run>/integration`: the pull request's head, the run's code without its bookkeeping: the start commit,
   * then one merge per landed task (projected from the ledger's merges, see core/integrate/project-merge.ts).
   */
  integration: string;
  /**
   * `<prefix>/<run>/ledger`: the run's record (start, dispatches, every outcome, merges with code), appended with
   * compare-and-swap; no pull request has it as head, and its bookkeeping commits carry `[skip ci]`.
   */
  ledger: string;
  /** `<prefix>/<run>/tasks/<id>`: where a task's agent works. */
  task(taskId: string): string;
  /** `<prefix>/<run>/retries/<id>`: a task's second attempt (on_conflict: retry), beside its first. */
  retry(taskId: string): string;
  /** Every ref directory the run's branches live under, from the outermost; none of these may itself be a branch. */
  directories: string[];
}

/**
 * Branch names of a run. They are laid out so no ref is also a directory of another: `cluster/42` is never a
 * branch, only `cluster/42/integration`, `cluster/42/ledger` and `cluster/42/tasks/<id>` are, so both can exist on disk and on GitHub.
 */
export function runBranches(prefix: string, runId: string): RunBranches {
  const root = `${prefix}/${runId}`;
  const parts = root.split('/');
  return {
    integration: `${root}/integration`,
    ledger: `${root}/ledger`,
    task: (taskId) => `${root}/tasks/${taskId}`,
    retry: (taskId) => `${root}/retries/${taskId}`,
    directories: parts.map((_, index) => parts.slice(0, index + 1).join('/')),
  };
}
