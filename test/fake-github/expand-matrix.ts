import { type ExpressionContext, evaluateText, evaluateValue } from './evaluate-expression.ts';
import type { WorkflowJob } from './read-workflow-file.ts';

/** GitHub's limit on jobs one matrix may expand to. */
export const MAX_MATRIX_JOBS = 256;

/**
 * The matrix entries of a job (one `undefined` for a job without a matrix): the cartesian product of its keys, each
 * a list or an expression giving one (`${{ fromJSON(inputs.tasks) }}`). Throws GitHub's messages for an empty
 * vector or more than 256 entries; `include`/`exclude` are refused (the fake does not need them).
 */
export function expandMatrix(
  job: WorkflowJob,
  context: ExpressionContext,
): (Record<string, unknown> | undefined)[] {
  const raw = job.strategy?.matrix;
  if (raw === undefined) return [undefined];
  const matrix = evaluateValue(raw, context);
  if (typeof matrix !== 'object' || matrix === null || Array.isArray(matrix)) {
    throw new Error("Error when evaluating 'strategy': the matrix must be a mapping of vectors");
  }
  let entries: Record<string, unknown>[] = [{}];
  for (const [key, vector] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude')
      throw new Error(`the fake runner does not support matrix \`${key}\``);
    const values = evaluateValue(vector, context);
    if (!Array.isArray(values)) throw new Error(`Matrix vector '${key}' is not an array`);
    if (values.length === 0) throw new Error(`Matrix vector '${key}' does not contain any values`);
    entries = entries.flatMap((entry) => values.map((value: unknown) => ({ ...entry, [key]: value })));
    if (entries.length > MAX_MATRIX_JOBS)
      throw new Error(`Strategy expansion exceeded ${MAX_MATRIX_JOBS} results for job`);
  }
  return entries;
}

/**
 * A job's display name: its `name` evaluated with the matrix; when the name does not use the matrix, the matrix
 * values are appended in parentheses as GitHub does (`build (linux, 20)`).
 */
export function jobName(
  jobId: string,
  job: WorkflowJob,
  matrix: Record<string, unknown> | undefined,
  context: ExpressionContext,
): string {
  const template = job.name ?? jobId;
  const name = evaluateText(template, { ...context, ...(matrix === undefined ? {} : { matrix }) });
  if (matrix === undefined || /\bmatrix\./.test(template)) return name;
  const values = Object.values(matrix).map((value) =>
    typeof value === 'object' ? JSON.stringify(value) : String(value),
  );
  return `${name} (${values.join(', ')})`;
}
