import { parse } from 'shell-quote';
import { InputError } from '../core/errors/errors.ts';

/** Flags the engine sets itself; passing them twice would make the run's limits ambiguous. */
const RESERVED = new Set([
  'max-turns',
  'max-budget-usd',
  'model',
  'allowedTools',
  'allowed-tools',
  'disallowedTools',
  'disallowed-tools',
  'permission-mode',
  'dangerously-skip-permissions',
]);

/**
 * Parses the `claude-args` input (shell words) into Claude Code CLI flags: `--flag value` → `{ flag: 'value' }`,
 * a bare `--flag` → `{ flag: null }`. Refuses operators, positional words and the flags the action's own inputs
 * control (use `model`, `max-turns`, `budget-usd`, `allowed-tools` instead).
 */
export function parseClaudeArgs(text: string | undefined): Record<string, string | null> | undefined {
  if (text === undefined) return undefined;
  const words = parse(text);
  const args: Record<string, string | null> = {};
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (typeof word !== 'string' || !word.startsWith('--') || word.length < 3) {
      throw new InputError(
        `\`claude-args\` holds \`${typeof word === 'string' ? word : JSON.stringify(word)}\`; give only \`--flag\` or \`--flag value\` pairs`,
      );
    }
    const [flag, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (RESERVED.has(flag)) {
      throw new InputError(
        `\`claude-args\` sets \`--${flag}\`, which the action's own inputs control; use those inputs instead`,
      );
    }
    const next = words[index + 1];
    if (inline !== undefined) args[flag] = inline;
    else if (typeof next === 'string' && !next.startsWith('--')) {
      args[flag] = next;
      index++;
    } else args[flag] = null;
  }
  return args;
}
