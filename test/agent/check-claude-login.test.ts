import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLAUDE_NOT_LOGGED_IN_MESSAGE, checkClaudeLogin } from '../../core/agent/check-claude-credentials.ts';
import { createClaudeAgent, findBundledExecutable } from '../../core/agent/claude-agent.ts';
import { readClaudeAuthStatus } from '../../core/agent/read-claude-auth-status.ts';
import { EnvironmentError } from '../../core/errors/errors.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cluster-claude-home-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** An environment in which Claude Code sees only `home` and never reaches the network. */
function offlineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ...extra,
  };
}

function writeApiKeyHelper(): void {
  mkdirSync(join(home, '.claude'));
  writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ apiKeyHelper: 'echo sk-ant-test' }));
}

const neverAsked = async () => {
  throw new Error('Claude Code was asked although a credential variable is set');
};

describe('checkClaudeLogin', () => {
  it('accepts a credential variable without asking Claude Code', async () => {
    await expect(checkClaudeLogin({ ANTHROPIC_API_KEY: 'sk-ant-x' }, neverAsked)).resolves.toBe(
      'credentials from the environment',
    );
    await expect(checkClaudeLogin({ CLAUDE_CODE_USE_VERTEX: '1' }, neverAsked)).resolves.toBe(
      'credentials from the environment',
    );
  });

  it('accepts a user Claude Code says is logged in, whatever the method, and says how', async () => {
    for (const authMethod of ['claude.ai', 'api_key_helper', 'oauth_token']) {
      await expect(checkClaudeLogin({}, async () => ({ loggedIn: true, authMethod }))).resolves.toBe(
        `logged in (${authMethod})`,
      );
    }
  });

  it('refuses a user Claude Code says is not logged in, with every way to log in', async () => {
    const failure = checkClaudeLogin({ ANTHROPIC_API_KEY: ' ' }, async () => ({
      loggedIn: false,
      authMethod: 'none',
    }));

    await expect(failure).rejects.toBeInstanceOf(EnvironmentError);
    await expect(failure).rejects.toThrow(CLAUDE_NOT_LOGGED_IN_MESSAGE);
    expect(CLAUDE_NOT_LOGGED_IN_MESSAGE).toMatch(
      /`claude auth login`.*`apiKeyHelper`.*ANTHROPIC_API_KEY.*CLAUDE_CODE_OAUTH_TOKEN.*CLAUDE_CODE_USE_BEDROCK=1.*--agent "<command>"/,
    );
  });
});

describe('readClaudeAuthStatus with the Claude Code the SDK brings', () => {
  it('answers not logged in for a user with no login, key or helper', async () => {
    const status = await readClaudeAuthStatus(findBundledExecutable(), offlineEnv());

    expect(status).toMatchObject({ loggedIn: false, authMethod: 'none' });
  });

  it('answers logged in through the apiKeyHelper of the user settings', async () => {
    writeApiKeyHelper();

    const status = await readClaudeAuthStatus(findBundledExecutable(), offlineEnv());

    expect(status).toMatchObject({ loggedIn: true, authMethod: 'api_key_helper' });
  });

  it('answers logged in with an API key in the environment', async () => {
    const status = await readClaudeAuthStatus(
      findBundledExecutable(),
      offlineEnv({ ANTHROPIC_API_KEY: 'x' }),
    );

    expect(status).toMatchObject({ loggedIn: true, authMethod: 'api_key' });
  });
});

describe('readClaudeAuthStatus with an executable that answers something else', () => {
  it('refuses naming the executable and what it printed', async () => {
    const script = join(home, 'claude');
    writeFileSync(script, '#!/bin/sh\necho "error: unknown command auth"\nexit 1\n');
    chmodSync(script, 0o755);

    const failure = readClaudeAuthStatus(script, offlineEnv());

    await expect(failure).rejects.toBeInstanceOf(EnvironmentError);
    await expect(failure).rejects.toThrow(
      `\`${script} auth status --json\` answered "error: unknown command auth"`,
    );
  });
});

describe('the Claude agent of the CLI (loginCheck: claude-code)', () => {
  const agentWith = (env: NodeJS.ProcessEnv) =>
    createClaudeAgent({ maxTurns: 1, allowedTools: ['Read'], env, loginCheck: 'claude-code' });

  it('passes the preflight for a user logged in through an apiKeyHelper, with no credential variable', async () => {
    writeApiKeyHelper();

    await expect(agentWith(offlineEnv()).preflight()).resolves.toBeUndefined();
  });

  it('stops in the preflight when Claude Code is not logged in', async () => {
    await expect(agentWith(offlineEnv()).preflight()).rejects.toThrow(CLAUDE_NOT_LOGGED_IN_MESSAGE);
  });
});

describe('the Claude agent of the action (loginCheck by default)', () => {
  it('still requires a credential variable, even when Claude Code has an apiKeyHelper', async () => {
    writeApiKeyHelper();
    const agent = createClaudeAgent({ maxTurns: 1, allowedTools: ['Read'], env: offlineEnv() });

    await expect(agent.preflight()).rejects.toThrow('Claude Code has no credentials');
  });
});
