import { EnvironmentError } from '../errors/errors.ts';
import type { ClaudeAuthStatus } from './read-claude-auth-status.ts';

/** Variables holding a key or token; any non-empty one lets Claude Code authenticate. */
const TOKEN_VARIABLES = ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_AUTH_TOKEN'] as const;
/** Switches that make Claude Code use a cloud provider's own credentials instead. */
const PROVIDER_SWITCHES = ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX'] as const;

/** The variables Claude Code reads credentials from, as a sentence. */
const CREDENTIAL_VARIABLES_TEXT =
  'ANTHROPIC_API_KEY (an Anthropic API key), CLAUDE_CODE_OAUTH_TOKEN ' +
  '(from `claude setup-token`), ANTHROPIC_AUTH_TOKEN (a bearer token for an LLM gateway), ' +
  'CLAUDE_CODE_USE_BEDROCK=1 (Amazon Bedrock) or CLAUDE_CODE_USE_VERTEX=1 (Google Vertex AI)';

/** The message shown when no credential variable is set; names every way to fix it. */
export const MISSING_CLAUDE_CREDENTIALS_MESSAGE =
  `Claude Code has no credentials: set ${CREDENTIAL_VARIABLES_TEXT}; ` +
  'or pass --agent "<command>" to run another agent instead of Claude Code.';

/** The message shown when Claude Code says it is not logged in; names every way to fix it. */
export const CLAUDE_NOT_LOGGED_IN_MESSAGE =
  'Claude Code is not logged in: run `claude auth login` to sign in with your Claude subscription or Anthropic ' +
  'Console account (Claude Code: `npm install -g @anthropic-ai/claude-code`), set an `apiKeyHelper` in ' +
  `~/.claude/settings.json, or set ${CREDENTIAL_VARIABLES_TEXT}; ` +
  'or pass --agent "<command>" to run another agent instead of Claude Code.';

/**
 * Throws an `EnvironmentError` naming the variables to set when `env` holds none of the credentials
 * Claude Code can use. It checks presence only: a wrong key fails on the agent's first request.
 */
export function checkClaudeCredentials(env: NodeJS.ProcessEnv): void {
  if (!hasClaudeCredentials(env)) throw new EnvironmentError(MISSING_CLAUDE_CREDENTIALS_MESSAGE);
}

/**
 * Throws an `EnvironmentError` with every way to log in when Claude Code cannot authenticate, and otherwise says how
 * it does. A credential variable in `env` is enough (checked first, without starting anything); otherwise
 * `askClaudeCode` asks Claude Code itself (`claude auth status`), which also knows `claude auth login`, the keychain
 * and an `apiKeyHelper`.
 */
export async function checkClaudeLogin(
  env: NodeJS.ProcessEnv,
  askClaudeCode: () => Promise<ClaudeAuthStatus>,
): Promise<string> {
  if (hasClaudeCredentials(env)) return 'credentials from the environment';
  const status = await askClaudeCode();
  if (!status.loggedIn) throw new EnvironmentError(CLAUDE_NOT_LOGGED_IN_MESSAGE);
  return `logged in (${status.authMethod})`;
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
