import { InputError } from '../errors/errors.ts';
import { computeRemainingPaths } from '../schedule/remaining-path.ts';
import { HARD_MAX_TASKS, type Plan, type Task } from './plan-schema.ts';

/**
 * One matrix job: a task as JSON, the `task` input of the action in task mode. Waves the App dispatches carry the
 * dispatch token the job checks against the ledger before it works.
 */
export type MatrixEntry = Pick<Task, 'id' | 'title' | 'prompt' | 'depends_on' | 'files'> & {
  dispatch?: string;
  /** The run's `branch_prefix` (the App's effective configuration): where the job finds the run's ledger. */
  branch_prefix?: string;
};

/** GitHub runs at most this many jobs from one matrix. */
export const MATRIX_MAX_ENTRIES = HARD_MAX_TASKS;
/** GitHub's limit on all the inputs of one `workflow_dispatch` together, in characters. */
export const WORKFLOW_DISPATCH_MAX_CHARS = 65_535;

/** What has already happened in the run. */
export interface ReadyMatrixOptions {
  /** Tasks that finished; their dependents may start. */
  done?: ReadonlySet<string>;
  /** Tasks already dispatched or running; left out even when their dependencies are done. */
  started?: ReadonlySet<string>;
}

/**
 * The tasks ready to start: not done, not started, every dependency done. Ordered by critical path (longest
 * remaining path first, so the chain that decides the run's length starts first), ties in plan order. The plan must
 * be valid (`validatePlan`).
 */
export function readyMatrix(plan: Plan, options: ReadyMatrixOptions = {}): MatrixEntry[] {
  const done = options.done ?? new Set<string>();
  const started = options.started ?? new Set<string>();
  const remaining = computeRemainingPaths(plan);
  return plan.tasks
    .map((task, position) => ({ task, position, remaining: remaining.get(task.id) ?? 0 }))
    .filter(
      ({ task }) =>
        !done.has(task.id) && !started.has(task.id) && task.depends_on.every((id) => done.has(id)),
    )
    .sort((a, b) => b.remaining - a.remaining || a.position - b.position)
    .map(({ task }) => ({
      id: task.id,
      title: task.title,
      prompt: task.prompt,
      depends_on: task.depends_on,
      files: task.files,
    }));
}

/**
 * The entries as JSON for `fromJSON` in a workflow matrix, checked against GitHub's limits: at most 256 entries, and
 * at most `maxChars` characters (default 65,535, everything one `workflow_dispatch` may carry; pass less when other
 * inputs share it). Throws an InputError naming the fix when the entries do not fit.
 */
export function matrixJson(entries: readonly MatrixEntry[], options: { maxChars?: number } = {}): string {
  const maxChars = options.maxChars ?? WORKFLOW_DISPATCH_MAX_CHARS;
  if (entries.length > MATRIX_MAX_ENTRIES) {
    throw new InputError(
      `${entries.length} tasks are ready at once, but one GitHub matrix runs at most ${MATRIX_MAX_ENTRIES} jobs`,
      [
        `lower \`max_tasks\` in .github/claude-cluster.yml or split the issue so at most ${MATRIX_MAX_ENTRIES} tasks start together`,
      ],
    );
  }
  const json = JSON.stringify(entries);
  if (json.length > maxChars) {
    const longest = [...entries]
      .sort((a, b) => b.prompt.length - a.prompt.length)
      .slice(0, 3)
      .map((entry) => `\`${entry.id}\` (${entry.prompt.length} characters)`);
    throw new InputError(
      `the ready tasks take ${json.length} characters as JSON, more than the ${maxChars} a workflow_dispatch input can carry`,
      [
        `use fewer or shorter task prompts; the longest are ${longest.join(', ')}`,
        'or split the issue into smaller ones',
      ],
    );
  }
  return json;
}
