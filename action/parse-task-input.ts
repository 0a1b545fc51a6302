import { ConfigSchema } from '../core/config/config-schema.ts';
import { InputError } from '../core/errors/errors.ts';
import { DispatchTokenSchema } from '../core/orchestrate/dispatch-record.ts';
import { type Task, TaskIdSchema, TaskSchema } from '../core/plan/plan-schema.ts';

/**
 * A matrix entry: a plan task, plus the dispatch token and the run's branch prefix when the App dispatched it. The
 * prefix is checked as the configuration checks it: it becomes part of every ref the job reads and pushes.
 */
const MatrixEntrySchema = TaskSchema.extend({
  dispatch: DispatchTokenSchema.optional(),
  branch_prefix: ConfigSchema.shape.branch_prefix.unwrap().optional(),
});

/** The `task` input, parsed. */
export interface TaskInput {
  task: Task;
  /** The App's dispatch token: the job works only if that dispatch owns the task. */
  dispatch?: string;
  /** The run's branch prefix as the App configured it (maybe from the owner's `.github` repository). */
  branchPrefix?: string;
}

/** The largest `task` input accepted: a matrix entry is one task, never a document. */
const MAX_TASK_INPUT = 64 * 1024;

/**
 * Parses the `task` input: one matrix entry, the JSON of a plan task (`${{ toJSON(matrix.task) }}`), with the
 * dispatch token when the App sent it. Refuses anything else with a message naming the problem.
 */
export function parseTaskInput(text: string | undefined): TaskInput {
  if (text === undefined) throw new InputError('task mode needs the `task` input: one matrix entry as JSON');
  if (text.length > MAX_TASK_INPUT) {
    throw new InputError(
      `the \`task\` input is ${text.length} characters; one task must stay under ${MAX_TASK_INPUT}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this is workflow syntax shown to the user.
      'the `task` input is not JSON; pass one matrix entry with `task: ${{ toJSON(matrix.task) }}`',
    );
  }
  const parsed = MatrixEntrySchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      'the `task` input is not a plan task',
      parsed.error.issues.map((issue) => `\`${issue.path.join('.') || 'task'}\`: ${issue.message}`),
    );
  }
  if (!TaskIdSchema.safeParse(parsed.data.id).success) {
    throw new InputError(
      `task id \`${parsed.data.id}\` is not a valid slug: use lowercase letters, digits and single dashes, at most 40 characters`,
    );
  }
  if (parsed.data.prompt.trim() === '')
    throw new InputError(`task \`${parsed.data.id}\` has an empty prompt`);
  const { dispatch, branch_prefix: branchPrefix, ...task } = parsed.data;
  return {
    task,
    ...(dispatch === undefined ? {} : { dispatch }),
    ...(branchPrefix === undefined ? {} : { branchPrefix }),
  };
}
