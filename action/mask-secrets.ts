import type { ActionInputs } from './action-inputs.ts';

/** The inputs that hold secrets. */
export const SECRET_INPUT_NAMES = ['github-token', 'anthropic-api-key', 'claude-code-oauth-token'] as const;

/** The secret inputs, as validated. */
export type SecretInputs = Pick<ActionInputs, (typeof SECRET_INPUT_NAMES)[number]>;

/**
 * Registers every secret input value with the runner's log masking (`core.setSecret`), trimmed as well, and each
 * line of a multi-line value on its own, because the runner masks line by line and would miss a multi-line value
 * printed in parts. Call it first, before anything can log.
 */
export function maskSecrets(inputs: Partial<SecretInputs>, setSecret: (value: string) => void): void {
  const masked = new Set<string>();
  const mask = (value: string): void => {
    if (value === '' || masked.has(value)) return;
    masked.add(value);
    setSecret(value);
  };
  for (const name of SECRET_INPUT_NAMES) {
    const value = inputs[name];
    if (value === undefined || value.trim() === '') continue;
    // The trimmed value too: a secret pasted with a stray newline is printed without it.
    for (const part of [value, value.trim(), ...value.split(/\r?\n/).map((line) => line.trim())]) mask(part);
  }
}
