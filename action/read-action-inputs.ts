import { InputError } from '../core/errors/errors.ts';
import { ACTION_INPUT_NAMES, type ActionInputs, ActionInputsSchema } from './action-inputs.ts';

/**
 * Reads every input of action.yml (through `getInput`, i.e. the runner's `INPUT_*` variables) and validates them
 * with the zod schema; every problem names its input.
 */
export function readActionInputs(getInput: (name: string) => string): ActionInputs {
  const raw = Object.fromEntries(ACTION_INPUT_NAMES.map((name) => [name, getInput(name)]));
  const result = ActionInputsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new InputError(
    'invalid action inputs',
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'inputs');
      return issue.message.includes(`\`${name}\``) ? issue.message : `\`${name}\`: ${issue.message}`;
    }),
  );
}
