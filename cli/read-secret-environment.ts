/** Variables that hold credentials a local run may have in its environment. */
const SECRET_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
];

/**
 * The credential values in `env` that a run must never commit or print: the agent runs with the user's environment,
 * so it can read them, but its work is refused when it holds one, and its output is redacted.
 */
export function readSecretEnvironment(env: NodeJS.ProcessEnv): string[] {
  return SECRET_VARIABLES.map((name) => env[name]).filter(
    (value): value is string => value !== undefined && value.trim() !== '',
  );
}
