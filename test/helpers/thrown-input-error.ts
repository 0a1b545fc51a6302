import { InputError } from '../../core/errors/errors.ts';

/** Runs `action` and returns the InputError it throws; any other outcome fails the test. */
export function thrownInputError(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}
