import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAgentEnvironment, type CredentialInputs } from '../../action/agent-environment.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';

const API_KEY = 'sk-ant-api03-test-key-0123456789';
const OAUTH_TOKEN = 'sk-ant-oat01-test-token-0123456789';
const GITHUB_TOKEN = 'ghs_testtoken0123456789abcdef';

/** What a runner's environment looks like inside a JavaScript action step. */
function runnerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: '/home/runner',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo/repo',
    GITHUB_WORKSPACE: '/home/runner/work/repo/repo',
    GITHUB_TOKEN,
    GH_TOKEN: GITHUB_TOKEN,
    ACTIONS_RUNTIME_TOKEN: 'runtime-token',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/oidc',
    ACTIONS_CACHE_URL: 'https://cache.actions.example/',
    ACTIONS_RESULTS_URL: 'https://results.actions.example/',
    ACTIONS_RUNTIME_URL: 'https://runtime.actions.example/',
    'INPUT_GITHUB-TOKEN': GITHUB_TOKEN,
    'INPUT_ANTHROPIC-API-KEY': API_KEY,
    INPUT_MODE: 'task',
    ...extra,
  };
}

const RUNNER_SECRETS = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_URL',
];

/** Variables the function sets itself, whatever the secrets are. */
const SET_BY_US = new Set([
  'ANTHROPIC_API_KEY',
  'DISABLE_TELEMETRY',
  'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC',
]);

const apiKey: CredentialInputs = { 'anthropic-api-key': API_KEY };

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

describe('buildAgentEnvironment', () => {
  describe('with an Anthropic API key', () => {
    const env = buildAgentEnvironment(
      runnerEnv({ AWS_SECRET_ACCESS_KEY: 'aws', GOOGLE_APPLICATION_CREDENTIALS: '/gcp.json' }),
      {
        credential: apiKey,
        secrets: [GITHUB_TOKEN],
      },
    );

    it('drops the GitHub token and the Actions runtime tokens and URLs', () => {
      for (const name of RUNNER_SECRETS) expect(env).not.toHaveProperty(name);
    });

    it('drops every INPUT_ variable', () => {
      expect(Object.keys(env).filter((name) => name.startsWith('INPUT_'))).toEqual([]);
    });

    it('passes the key as ANTHROPIC_API_KEY and no other credential', () => {
      expect(env.ANTHROPIC_API_KEY).toBe(API_KEY);
      expect(env).not.toHaveProperty('CLAUDE_CODE_OAUTH_TOKEN');
      expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
      expect(env).not.toHaveProperty('GOOGLE_APPLICATION_CREDENTIALS');
    });

    it('switches off telemetry and nonessential traffic', () => {
      expect(env.DISABLE_TELEMETRY).toBe('1');
      expect(env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC).toBe('1');
    });

    it('keeps the ordinary job environment', () => {
      expect(env).toMatchObject({
        PATH: '/usr/bin:/bin',
        HOME: '/home/runner',
        CI: 'true',
        GITHUB_REPOSITORY: 'octo/repo',
        GITHUB_WORKSPACE: '/home/runner/work/repo/repo',
      });
    });
  });

  describe('with a variable carrying a secret under another name', () => {
    it('drops variables equal to a secret or containing it', () => {
      const env = buildAgentEnvironment(
        runnerEnv({
          MY_DEPLOY_TOKEN: GITHUB_TOKEN,
          GIT_HEADER: `AUTHORIZATION: bearer ${GITHUB_TOKEN}`,
          COPIED_KEY: API_KEY,
          UNRELATED: 'hello',
        }),
        { credential: apiKey, secrets: [GITHUB_TOKEN] },
      );

      expect(env).not.toHaveProperty('MY_DEPLOY_TOKEN');
      expect(env).not.toHaveProperty('GIT_HEADER');
      expect(env).not.toHaveProperty('COPIED_KEY');
      expect(env.UNRELATED).toBe('hello');
    });

    it('leaves no secret value anywhere in the environment', () => {
      const secret = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== '');
      const variable = fc.record({
        name: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/),
        before: fc.string({ maxLength: 10 }),
        after: fc.string({ maxLength: 10 }),
      });
      fc.assert(
        fc.property(secret, fc.array(variable, { maxLength: 8 }), (value, variables) => {
          const processEnv: NodeJS.ProcessEnv = { PATH: '/bin' };
          for (const { name, before, after } of variables) {
            // Long secrets hide anywhere in a value; short ones are matched whole (see the module's rule).
            processEnv[name] = value.trim().length >= 8 ? `${before}${value}${after}` : value;
          }
          const env = buildAgentEnvironment(processEnv, { credential: apiKey, secrets: [value] });
          for (const [name, text] of Object.entries(env)) {
            if (SET_BY_US.has(name)) continue;
            expect(text === value || (value.trim().length >= 8 && text.includes(value.trim()))).toBe(false);
          }
        }),
      );
    });
  });

  describe('with a Claude Code OAuth token', () => {
    it('passes it as CLAUDE_CODE_OAUTH_TOKEN and drops an API key set in the job', () => {
      const env = buildAgentEnvironment(runnerEnv({ ANTHROPIC_API_KEY: 'job-level-key-0123456789' }), {
        credential: { 'claude-code-oauth-token': OAUTH_TOKEN },
      });

      expect(env.CLAUDE_CODE_OAUTH_TOKEN).toBe(OAUTH_TOKEN);
      expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
    });
  });

  describe('with use-bedrock', () => {
    const bedrockEnv = runnerEnv({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIA0123',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      AWS_SESSION_TOKEN: 'aws-session',
      ANTHROPIC_BEDROCK_BASE_URL: 'https://bedrock.example',
      GOOGLE_APPLICATION_CREDENTIALS: '/gcp.json',
      CLOUD_ML_REGION: 'global',
    });

    it('sets the Bedrock switch and keeps the AWS variables only', () => {
      const env = buildAgentEnvironment(bedrockEnv, { credential: { 'use-bedrock': true } });

      expect(env).toMatchObject({
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIA0123',
        AWS_SECRET_ACCESS_KEY: 'aws-secret',
        AWS_SESSION_TOKEN: 'aws-session',
        ANTHROPIC_BEDROCK_BASE_URL: 'https://bedrock.example',
      });
      expect(env).not.toHaveProperty('GOOGLE_APPLICATION_CREDENTIALS');
      expect(env).not.toHaveProperty('CLOUD_ML_REGION');
      expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
    });

    it('asks for AWS_REGION when the job has none', () => {
      const error = thrown(() =>
        buildAgentEnvironment(runnerEnv({ AWS_ACCESS_KEY_ID: 'AKIA0123' }), {
          credential: { 'use-bedrock': true },
        }),
      );

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain('`use-bedrock: true` needs AWS_REGION');
    });
  });

  describe('with use-vertex', () => {
    it('sets the Vertex switch and keeps the Google Cloud variables only', () => {
      const env = buildAgentEnvironment(
        runnerEnv({
          CLOUD_ML_REGION: 'us-east5',
          ANTHROPIC_VERTEX_PROJECT_ID: 'my-project',
          GOOGLE_APPLICATION_CREDENTIALS: '/gcp.json',
          CLOUDSDK_CORE_PROJECT: 'my-project',
          VERTEX_REGION_CLAUDE_3_5_HAIKU: 'us-central1',
          AWS_SECRET_ACCESS_KEY: 'aws-secret',
        }),
        { credential: { 'use-vertex': true } },
      );

      expect(env).toMatchObject({
        CLAUDE_CODE_USE_VERTEX: '1',
        CLOUD_ML_REGION: 'us-east5',
        ANTHROPIC_VERTEX_PROJECT_ID: 'my-project',
        GOOGLE_APPLICATION_CREDENTIALS: '/gcp.json',
        CLOUDSDK_CORE_PROJECT: 'my-project',
        VERTEX_REGION_CLAUDE_3_5_HAIKU: 'us-central1',
      });
      expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    });

    it('asks for the region and the project when the job has neither', () => {
      const error = thrown(() => buildAgentEnvironment(runnerEnv(), { credential: { 'use-vertex': true } }));

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain('`use-vertex: true` needs CLOUD_ML_REGION');
      expect(error.message).toContain('ANTHROPIC_VERTEX_PROJECT_ID');
    });
  });

  describe('with no credential for Claude Code', () => {
    it('names the inputs and secrets to set', () => {
      const error = thrown(() =>
        buildAgentEnvironment(runnerEnv({ ANTHROPIC_API_KEY: 'job-level-key-0123456789' }), {
          credential: { 'use-bedrock': false },
        }),
      );

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain(`anthropic-api-key: \${{ secrets.ANTHROPIC_API_KEY }}`);
      expect(error.message).toContain(`claude-code-oauth-token: \${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}`);
      expect(error.message).toContain('`use-bedrock: true`');
      expect(error.message).toContain('`use-vertex: true`');
      expect(error.message).toContain('pass `agent`');
    });
  });

  describe('with more than one credential', () => {
    it('names the ones given and says to remove all but one', () => {
      const error = thrown(() =>
        buildAgentEnvironment(runnerEnv(), {
          credential: { 'anthropic-api-key': API_KEY, 'use-vertex': true },
        }),
      );

      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([
        "keep one of `anthropic-api-key`, `use-vertex` and remove the others from the step's `with:`",
      ]);
    });
  });

  describe('for a command agent', () => {
    it('gives the same scrubbed environment without a model credential when none is given', () => {
      const env = buildAgentEnvironment(runnerEnv({ ANTHROPIC_API_KEY: 'job-level-key-0123456789' }), {
        credential: {},
        secrets: [GITHUB_TOKEN],
        agentKind: 'command',
      });

      for (const name of [...RUNNER_SECRETS, 'ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'INPUT_MODE']) {
        expect(env).not.toHaveProperty(name);
      }
      expect(env.PATH).toBe('/usr/bin:/bin');
      expect(env.DISABLE_TELEMETRY).toBe('1');
    });

    it('passes the credential on when one is given', () => {
      const env = buildAgentEnvironment(runnerEnv(), { credential: apiKey, agentKind: 'command' });

      expect(env.ANTHROPIC_API_KEY).toBe(API_KEY);
    });
  });

  it('leaves the given environment as it was', () => {
    const processEnv = runnerEnv();
    const before = { ...processEnv };

    buildAgentEnvironment(processEnv, { credential: apiKey });

    expect(processEnv).toEqual(before);
  });
});
