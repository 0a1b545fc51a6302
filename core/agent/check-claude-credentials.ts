import { EnvironmentError } from '../errors/errors.ts';

/** Variables holding a key or token; any non-empty one lets Claude Code authenticate. */
const TOKEN_VARIABLES = ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_AUTH_TOKEN'] as const;
/** Switches that make Claude Code use a cloud provider's own credentials instead. */
const PROVIDER_SWITCHES = ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX'] as const;

/** The message shown when no credentials are set; names every way to fix it. */
export const MISSING_CLAUDE_CREDENTIALS_MESSAGE =
  'Claude Code has no credentials: set ANTHROPIC_API_KEY (an Anthropic API key), CLAUDE_CODE_OAUTH_TOKEN ' +
  '(from `claude setup-token`), ANTHROPIC_AUTH_TOKEN (a bearer token for an LLM gateway), ' +
  'CLAUDE_CODE_USE_BEDROCK=1 (Amazon Bedrock) or CLAUDE_CODE_USE_VERTEX=1 (Google Vertex AI); ' +
  'or pass --agent "<command>" to run another agent instead of Claude Code.';

/**
 * Throws an `EnvironmentError` naming the variables to set when `env` holds none of the credentials
 * Claude Code can use. It checks presence only: a wrong key fails on the agent's first request.
 */
export function checkClaudeCredentials(env: NodeJS.ProcessEnv): void {
  if (!hasClaudeCredentials(env)) throw new EnvironmentError(MISSING_CLAUDE_CREDENTIALS_MESSAGE);
}

/** True when `env` holds any credential Claude Code can use (presence only). */
export function hasClaudeCredentials(env: NodeJS.ProcessEnv): boolean {
  const hasToken = TOKEN_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
  return hasToken || PROVIDER_SWITCHES.some((name) => isSwitchOn(env[name]));
}

/** Claude Code reads these switches as truthy for `1` and `true`. */
function isSwitchOn(value: string | undefined): boolean {
  const normalized = (value ?? '').trim().toLowerCase();
  return normalized === '1' || normalized === 'true';
}
