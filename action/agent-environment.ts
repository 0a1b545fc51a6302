import { EnvironmentError, InputError } from '../core/errors/errors.ts';
import type { ActionInputs } from './action-inputs.ts';

/** The inputs that choose how the agent reaches a model. */
export type CredentialInputs = Pick<
  ActionInputs,
  'anthropic-api-key' | 'claude-code-oauth-token' | 'use-bedrock' | 'use-vertex'
>;

/** Which model credential the agent gets. */
export type ModelCredential = 'anthropic-api-key' | 'claude-code-oauth-token' | 'use-bedrock' | 'use-vertex';

/** How the agent's environment is built. */
export interface AgentEnvironmentOptions {
  /** The credential inputs; exactly one must be chosen for Claude Code. */
  credential: CredentialInputs;
  /** Other secret values (e.g. `github-token`): any variable carrying one is dropped. */
  secrets?: string[];
  /** `command` for the `agent` input: no credential is required, one given is still passed on. */
  agentKind?: 'claude-code' | 'command';
}

/** Variables that grant access to the repository or the Actions runtime; an agent never needs them. */
const RUNNER_SECRET_VARIABLES = new Set([
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_URL',
]);

/** Every variable Claude Code reads as a model credential or provider switch; only the chosen one is set again. */
const MODEL_CREDENTIAL_VARIABLES = new Set([
  'ANTHROPIC_API_KEY',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_FOUNDRY',
]);

/**
 * Cloud variables, kept only for their provider. Bedrock: `AWS_*` (region, keys, session token, profile, bearer
 * token), `ANTHROPIC_BEDROCK_BASE_URL`, `CLAUDE_CODE_SKIP_BEDROCK_AUTH`. Vertex: `GOOGLE_*` (e.g.
 * `GOOGLE_APPLICATION_CREDENTIALS`), `CLOUDSDK_*` and `GCLOUD_*` (set by google-github-actions/auth),
 * `CLOUD_ML_*`, `VERTEX_REGION_*`, `ANTHROPIC_VERTEX_*`, `CLAUDE_CODE_SKIP_VERTEX_AUTH`.
 */
const PROVIDER_VARIABLES: Record<'use-bedrock' | 'use-vertex', RegExp> = {
  'use-bedrock': /^(AWS_|ANTHROPIC_BEDROCK_|CLAUDE_CODE_SKIP_BEDROCK_AUTH$)/,
  'use-vertex':
    /^(GOOGLE_|CLOUDSDK_|GCLOUD_|CLOUD_ML_|VERTEX_REGION_|ANTHROPIC_VERTEX_|CLAUDE_CODE_SKIP_VERTEX_AUTH$)/,
};

/** Variables a provider cannot run without, with where they usually come from. */
const PROVIDER_REQUIREMENTS: Record<'use-bedrock' | 'use-vertex', { name: string; hint: string }[]> = {
  'use-bedrock': [{ name: 'AWS_REGION', hint: 'aws-actions/configure-aws-credentials sets it' }],
  'use-vertex': [
    { name: 'CLOUD_ML_REGION', hint: 'e.g. `global` or `us-east5`' },
    { name: 'ANTHROPIC_VERTEX_PROJECT_ID', hint: 'your Google Cloud project id' },
  ],
};

/** Secrets shorter than this are matched whole only: a short value would match unrelated variables by accident. */
const MIN_SUBSTRING_SECRET_LENGTH = 8;

/**
 * The environment the agent runs with: `processEnv` without the GitHub token, the Actions runtime tokens and
 * URLs, every `INPUT_*` variable, every model credential except the chosen one, the other provider's cloud
 * variables, and any variable carrying a secret value (equal to it, or containing it when it is 8 characters or
 * longer). The chosen credential is set from its input (`ANTHROPIC_API_KEY`, `CLAUDE_CODE_OAUTH_TOKEN`, or
 * `CLAUDE_CODE_USE_BEDROCK=1` / `CLAUDE_CODE_USE_VERTEX=1` with that provider's cloud variables), and telemetry
 * and nonessential traffic are switched off.
 *
 * Throws an `EnvironmentError` when Claude Code has no credential, or a provider lacks a variable it needs,
 * and an `InputError` when more than one credential is given.
 */
export function buildAgentEnvironment(
  processEnv: NodeJS.ProcessEnv,
  { credential, secrets = [], agentKind = 'claude-code' }: AgentEnvironmentOptions,
): Record<string, string> {
  const chosen = chooseModelCredential(credential, { required: agentKind === 'claude-code' });
  const secretValues = [
    ...secrets,
    credential['anthropic-api-key'],
    credential['claude-code-oauth-token'],
  ].filter((value): value is string => value !== undefined && value.trim() !== '');

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(processEnv)) {
    if (value === undefined || isDropped(name, chosen)) continue;
    if (secretValues.some((secret) => carriesSecret(value, secret))) continue;
    env[name] = value;
  }
  if (chosen === 'anthropic-api-key') env.ANTHROPIC_API_KEY = credential['anthropic-api-key'] ?? '';
  if (chosen === 'claude-code-oauth-token')
    env.CLAUDE_CODE_OAUTH_TOKEN = credential['claude-code-oauth-token'] ?? '';
  if (chosen === 'use-bedrock' || chosen === 'use-vertex') {
    const missing = PROVIDER_REQUIREMENTS[chosen].filter(({ name }) => (env[name] ?? '').trim() === '');
    if (missing.length > 0) {
      throw new EnvironmentError(
        `\`${chosen}: true\` needs ${missing.map(({ name, hint }) => `${name} (${hint})`).join(' and ')} in the ` +
          'job environment; set it in an earlier step or in `env:`',
      );
    }
    env[chosen === 'use-bedrock' ? 'CLAUDE_CODE_USE_BEDROCK' : 'CLAUDE_CODE_USE_VERTEX'] = '1';
  }
  env.DISABLE_TELEMETRY = '1';
  env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1';
  return env;
}

/**
 * The one credential the inputs choose, or undefined when none is given and none is `required`. Throws an
 * `InputError` naming the inputs to remove when several are given, and an `EnvironmentError` naming the inputs and
 * secrets to set when none is given but one is required.
 */
export function chooseModelCredential(
  credential: CredentialInputs,
  { required }: { required: boolean },
): ModelCredential | undefined {
  const given: ModelCredential[] = [];
  if ((credential['anthropic-api-key'] ?? '').trim() !== '') given.push('anthropic-api-key');
  if ((credential['claude-code-oauth-token'] ?? '').trim() !== '') given.push('claude-code-oauth-token');
  if (credential['use-bedrock'] === true) given.push('use-bedrock');
  if (credential['use-vertex'] === true) given.push('use-vertex');
  if (given.length > 1) {
    throw new InputError(`the agent can use only one model credential, but ${given.length} are given`, [
      `keep one of ${given.map((name) => `\`${name}\``).join(', ')} and remove the others from the step's \`with:\``,
    ]);
  }
  if (given.length === 0 && required) {
    throw new EnvironmentError(
      `Claude Code has no model credential: set \`anthropic-api-key: ${secretExpression('ANTHROPIC_API_KEY')}\`, ` +
        `\`claude-code-oauth-token: ${secretExpression('CLAUDE_CODE_OAUTH_TOKEN')}\` (from \`claude setup-token\`), ` +
        "`use-bedrock: true` (Amazon Bedrock) or `use-vertex: true` (Google Vertex AI) in the step's `with:` " +
        '(add the secret under Settings → Secrets and variables → Actions), or pass `agent` to run another agent',
    );
  }
  return given[0];
}

/** A workflow expression reading a repository secret, as users write it in `with:`. */
function secretExpression(name: string): string {
  return `\${{ secrets.${name} }}`;
}

function isDropped(name: string, chosen: ModelCredential | undefined): boolean {
  const upper = name.toUpperCase();
  if (RUNNER_SECRET_VARIABLES.has(upper) || upper.startsWith('INPUT_')) return true;
  if (MODEL_CREDENTIAL_VARIABLES.has(upper)) return true;
  return (['use-bedrock', 'use-vertex'] as const).some(
    (provider) => provider !== chosen && PROVIDER_VARIABLES[provider].test(upper),
  );
}

function carriesSecret(value: string, secret: string): boolean {
  if (value === secret || value.trim() === secret.trim()) return true;
  return secret.trim().length >= MIN_SUBSTRING_SECRET_LENGTH && value.includes(secret.trim());
}
