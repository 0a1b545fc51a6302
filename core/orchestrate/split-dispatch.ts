import type { InputError } from '../errors/errors.ts';
import { MATRIX_MAX_ENTRIES, WORKFLOW_DISPATCH_MAX_CHARS } from '../plan/ready-matrix.ts';

/** GitHub's limit on the number of inputs of one `workflow_dispatch`. */
export const WORKFLOW_DISPATCH_MAX_INPUTS = 25;

/** Inputs as a `workflow_dispatch` request sends them: strings only, absent ones left out. */
export function dispatchInputStrings(inputs: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
}

/**
 * How much of GitHub's 65,535-character allowance the inputs of one dispatch use. All inputs share it, names
 * included; GitHub does not say how it counts, so this counts high: the inputs object as JSON (quotes and escapes
 * included), in UTF-8 bytes.
 */
export function dispatchInputsSize(inputs: object): number {
  return Buffer.byteLength(JSON.stringify(dispatchInputStrings(inputs)), 'utf8');
}

/** Why inputs do not fit one dispatch, or undefined when they do. */
export function dispatchLimitProblem(inputs: object): string | undefined {
  const strings = dispatchInputStrings(inputs);
  const count = Object.keys(strings).length;
  if (count > WORKFLOW_DISPATCH_MAX_INPUTS)
    return `${count} inputs, more than the ${WORKFLOW_DISPATCH_MAX_INPUTS} GitHub accepts`;
  const size = dispatchInputsSize(strings);
  if (size > WORKFLOW_DISPATCH_MAX_CHARS)
    return `${size} characters of inputs, more than the ${WORKFLOW_DISPATCH_MAX_CHARS} GitHub accepts for all inputs together`;
  return undefined;
}

/**
 * Splits `items` (a wave's tasks, in the order they should start) into consecutive parts, each of which fits one
 * `workflow_dispatch` whose inputs `inputsOf` builds: within GitHub's 65,535 characters for all inputs together, its
 * 25 inputs and its 256 matrix jobs. Fills each part before starting the next, so a wave that fits one dispatch is
 * sent as one. An item that does not fit even alone is refused with `tooLarge`'s error (nothing is sent).
 */
export function splitIntoDispatches<T>(
  items: readonly T[],
  inputsOf: (part: readonly T[]) => object,
  tooLarge: (item: T, problem: string) => InputError,
): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    const candidate = [...current, item];
    if (candidate.length <= MATRIX_MAX_ENTRIES && dispatchLimitProblem(inputsOf(candidate)) === undefined) {
      current = candidate;
      continue;
    }
    const alone = dispatchLimitProblem(inputsOf([item]));
    if (alone !== undefined) throw tooLarge(item, alone);
    parts.push(current);
    current = [item];
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
