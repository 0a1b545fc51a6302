import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRunInput } from '../../core/agent/agent-contract.ts';
import { checkClaudeCredentials } from '../../core/agent/check-claude-credentials.ts';
import { type ClaudeAgentOptions, createClaudeAgent } from '../../core/agent/claude-agent.ts';
import { EnvironmentError } from '../../core/errors/errors.ts';
import { type FakeMessagesApi, startFakeMessagesApi } from '../fake-anthropic/fake-messages-api.ts';
import type { FakeScript } from '../fake-anthropic/fake-script.ts';

const TOOLS = ['Read', 'Write', 'Edit', 'Bash'];

let repo: string;
let home: string;
let api: FakeMessagesApi | undefined;

beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'claude-agent-repo-'));
  home = await mkdtemp(join(tmpdir(), 'claude-agent-home-'));
  execFileSync('git', ['init', '-q', repo]);
});

afterEach(async () => {
  await api?.close();
  api = undefined;
  await rm(repo, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** Starts the fake API and returns an environment that sends the real Claude Code executable to it. */
async function offlineEnv(script: FakeScript): Promise<NodeJS.ProcessEnv> {
  api = await startFakeMessagesApi(script);
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_BASE_URL: api.baseUrl,
    ANTHROPIC_API_KEY: 'fake-key',
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
}

function agentWith(env: NodeJS.ProcessEnv, options: Partial<ClaudeAgentOptions> = {}) {
  return createClaudeAgent({
    model: 'claude-sonnet-4-5',
    maxTurns: 10,
    allowedTools: TOOLS,
    env,
    ...options,
  });
}

function taskInput(overrides: Partial<AgentRunInput> = {}): AgentRunInput {
  return {
    mode: 'task',
    cwd: repo,
    prompt: 'Create hello.txt.',
    runId: 'run-1',
    taskId: 'greet',
    taskTitle: 'Say hello',
    timeoutMs: 45_000,
    ...overrides,
  };
}

function scriptedRequests(): Array<Record<string, unknown>> {
  return (api?.requests ?? []).filter((r) => r.scripted).map((r) => r.body as Record<string, unknown>);
}

describe('createClaudeAgent', () => {
  describe('run', () => {
    describe('with a model that writes a file and then sums up', () => {
      it('leaves the file in the worktree and reports success, turns, cost and the final text', async () => {
        const env = await offlineEnv({
          turns: [
            {
              blocks: [
                { type: 'text', text: 'Creating the file.' },
                {
                  type: 'tool_use',
                  name: 'Write',
                  input: { file_path: join(repo, 'hello.txt'), content: 'hello\n' },
                },
              ],
            },
            { blocks: [{ type: 'text', text: 'Created hello.txt with a greeting.' }] },
          ],
        });

        const result = await agentWith(env).run(taskInput());

        expect(await readFile(join(repo, 'hello.txt'), 'utf8')).toBe('hello\n');
        expect(result).toMatchObject({
          ok: true,
          exitCode: 0,
          timedOut: false,
          aborted: false,
          summary: 'Created hello.txt with a greeting.',
          stdout: 'Created hello.txt with a greeting.',
        });
        expect(result.error).toBeUndefined();
        expect(result.turns).toBeGreaterThanOrEqual(2);
        expect(result.costUsd).toEqual(expect.any(Number));
        expect(result.costUsd).toBeGreaterThan(0);
      });

      it('tells the model the cluster context and that the engine commits', async () => {
        const env = await offlineEnv({ turns: [{ blocks: [{ type: 'text', text: 'Nothing to do.' }] }] });

        await agentWith(env).run(taskInput());

        const system = JSON.stringify(scriptedRequests()[0]?.system);
        expect(system).toContain('claude-cluster (run run-1, mode task)');
        expect(system).toContain('task `greet` (Say hello)');
        expect(system).toContain('Do not commit');
        expect(system).toContain('the engine commits');
      });

      it('tells the model of no web tools unless they are allowed', async () => {
        const env = await offlineEnv({
          turns: [],
          whenExhausted: { blocks: [{ type: 'text', text: 'Done.' }] },
        });

        await agentWith(env).run(taskInput());
        await agentWith(env, { allowedTools: [...TOOLS, 'WebFetch'] }).run(taskInput());

        // Web tools are deferred (named in a reminder, loaded through ToolSearch), so look at the whole request.
        const [withoutWeb, withWebFetch] = scriptedRequests().map((body) => JSON.stringify(body));
        expect(withoutWeb).toContain('"name":"Write"');
        expect(withoutWeb).not.toContain('WebFetch');
        expect(withoutWeb).not.toContain('WebSearch');
        expect(withWebFetch).toContain('WebFetch');
        expect(withWebFetch).not.toContain('WebSearch');
      });
    });

    describe('with a model that runs Bash', () => {
      it('runs the allowed command without asking and gives it the CLUSTER_* variables', async () => {
        const command =
          'printf "%s|%s|%s|%s" "$CLUSTER_RUN_ID" "$CLUSTER_TASK_ID" "$CLUSTER_TASK_TITLE" "$CLUSTER_MODE" > env.txt';
        const env = await offlineEnv({
          turns: [
            {
              blocks: [
                { type: 'tool_use', name: 'Bash', input: { command, description: 'Record the variables' } },
              ],
            },
            { blocks: [{ type: 'text', text: 'Recorded.' }] },
          ],
        });

        const result = await agentWith(env).run(taskInput());

        expect(result.ok).toBe(true);
        expect(await readFile(join(repo, 'env.txt'), 'utf8')).toBe('run-1|greet|Say hello|task');
      });
    });

    describe('with a model that starts a daemon outside its process group', () => {
      it('stops the daemon when the agent is done', async () => {
        const command = 'setsid sleep 305 >/dev/null 2>&1 & echo $! > daemon.pid';
        const env = await offlineEnv({
          turns: [
            {
              blocks: [{ type: 'tool_use', name: 'Bash', input: { command, description: 'Start a daemon' } }],
            },
            { blocks: [{ type: 'text', text: 'Started.' }] },
          ],
        });

        const result = await agentWith(env).run(taskInput());

        expect(result.ok).toBe(true);
        const daemon = Number((await readFile(join(repo, 'daemon.pid'), 'utf8')).trim());
        const state = await readFile(`/proc/${daemon}/stat`, 'utf8').catch(() => '');
        const running = state !== '' && !/^\S+ \(.*\) [ZX]/.test(state);
        if (running) process.kill(daemon, 'SIGKILL');
        expect(running).toBe(false);
      });
    });

    describe('in plan mode', () => {
      it('asks for the plan as structured output, returns it on stdout and refuses file edits', async () => {
        const plan = { tasks: [{ id: 'db', title: 'Users table', prompt: 'Create the users table.' }] };
        const env = await offlineEnv({
          turns: [
            {
              blocks: [
                { type: 'tool_use', name: 'Write', input: { file_path: join(repo, 'x.txt'), content: 'x' } },
              ],
            },
            { blocks: [{ type: 'tool_use', name: 'StructuredOutput', input: plan }] },
            { blocks: [{ type: 'text', text: 'Planned one task.' }] },
          ],
          whenExhausted: { blocks: [{ type: 'text', text: 'Planned one task.' }] },
        });

        const result = await agentWith(env).run(
          taskInput({ mode: 'plan', taskId: undefined, taskTitle: undefined }),
        );

        expect(result.ok).toBe(true);
        expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '')).toEqual(plan);
        await expect(stat(join(repo, 'x.txt'))).rejects.toThrow(/ENOENT/);
        const firstRequest = scriptedRequests()[0] ?? {};
        expect(toolNames(firstRequest)).not.toContain('Write');
        expect(toolNames(firstRequest)).toContain('StructuredOutput');
      });
    });

    describe('when the API answers 500', () => {
      it('fails at once with the API error in the error sentence', async () => {
        const env = await offlineEnv({ turns: [{ errorStatus: 500, errorMessage: 'the fake API is down' }] });

        const result = await agentWith(env).run(taskInput());

        expect(result.ok).toBe(false);
        expect(result.timedOut).toBe(false);
        expect(result.error).toMatch(/^Claude Code reported an error: API Error: 500 the fake API is down/);
        expect(result.durationMs).toBeLessThan(20_000);
      });
    });

    describe('when the model keeps calling tools past max_turns', () => {
      it('says which limit stopped it and where to raise it', async () => {
        const env = await offlineEnv({
          turns: [],
          whenExhausted: {
            blocks: [{ type: 'tool_use', name: 'Read', input: { file_path: join(repo, 'missing') } }],
          },
        });

        const result = await agentWith(env, { maxTurns: 2 }).run(taskInput());

        expect(result.ok).toBe(false);
        expect(result.turns).toBeGreaterThanOrEqual(2);
        expect(result.error).toBe(
          'Claude Code stopped after the max_turns limit (2); raise `max_turns` in .github/claude-cluster.yml or split the task',
        );
      });
    });

    describe('when the budget runs out', () => {
      it('stops at the per-invocation budget, which overrides the agent default, and says where to raise it', async () => {
        const env = await offlineEnv({
          turns: [],
          whenExhausted: {
            blocks: [{ type: 'tool_use', name: 'Read', input: { file_path: join(repo, 'missing') } }],
          },
        });

        const result = await agentWith(env, { budgetUsd: 100 }).run(taskInput({ budgetUsd: 0.0001 }));

        expect(result.ok).toBe(false);
        expect(result.costUsd).toBeGreaterThan(0.0001);
        expect(result.error).toBe(
          'Claude Code stopped after spending $0.0001; raise `budget.per_task_usd` in .github/claude-cluster.yml or split the task',
        );
      });
    });

    describe('when the model does not answer within timeoutMs', () => {
      it('stops Claude Code and reports a timeout', async () => {
        const env = await offlineEnv({
          turns: [{ blocks: [{ type: 'text', text: 'too late' }] }],
          delayMs: 60_000,
        });

        const result = await agentWith(env).run(taskInput({ timeoutMs: 2_000 }));

        expect(result).toMatchObject({ ok: false, timedOut: true, aborted: false });
        expect(result.error).toBe(
          'Claude Code did not finish within 2 seconds and was stopped; raise `task_timeout_minutes` in .github/claude-cluster.yml or split the task',
        );
        expect(result.durationMs).toBeLessThan(15_000);
      });
    });

    describe('when the signal is aborted', () => {
      it('stops a running Claude Code and reports the cancellation', async () => {
        const env = await offlineEnv({
          turns: [{ blocks: [{ type: 'text', text: 'too late' }] }],
          delayMs: 60_000,
        });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 1_500);

        const result = await agentWith(env).run(taskInput({ signal: controller.signal }));

        expect(result).toMatchObject({ ok: false, timedOut: false, aborted: true });
        expect(result.error).toBe('Claude Code was stopped because the run was cancelled');
        expect(result.durationMs).toBeLessThan(15_000);
      });

      it('does not start Claude Code when the signal was aborted before', async () => {
        const env = await offlineEnv({ turns: [{ blocks: [{ type: 'text', text: 'never' }] }] });

        const result = await agentWith(env).run(taskInput({ signal: AbortSignal.abort() }));

        expect(result).toMatchObject({ ok: false, aborted: true });
        expect(api?.requests).toEqual([]);
      });
    });

    describe('when the executable does not exist', () => {
      it('fails with the SDK error instead of throwing', async () => {
        const env = await offlineEnv({ turns: [] });

        const result = await agentWith(env, { pathToClaudeCodeExecutable: join(home, 'no-claude') }).run(
          taskInput(),
        );

        expect(result.ok).toBe(false);
        expect(result.error).toMatch(/^Claude Code ended before reporting a result: .*no-claude/);
      });
    });
  });

  describe('preflight', () => {
    it('names the variables to set when no credentials are set', async () => {
      const agent = createClaudeAgent({ maxTurns: 1, allowedTools: TOOLS, env: { PATH: process.env.PATH } });

      const failure = agent.preflight();

      await expect(failure).rejects.toBeInstanceOf(EnvironmentError);
      await expect(failure).rejects.toThrow(
        /ANTHROPIC_API_KEY.*CLAUDE_CODE_OAUTH_TOKEN.*ANTHROPIC_AUTH_TOKEN.*CLAUDE_CODE_USE_BEDROCK=1.*CLAUDE_CODE_USE_VERTEX=1.*--agent "<command>"/,
      );
    });

    it('passes with a key and the executable bundled with the SDK', async () => {
      const agent = createClaudeAgent({
        maxTurns: 1,
        allowedTools: TOOLS,
        env: { ANTHROPIC_API_KEY: 'fake-key' },
      });

      await expect(agent.preflight()).resolves.toBeUndefined();
    });

    it('names the executable when it is missing', async () => {
      const path = join(home, 'no-claude');
      const agent = createClaudeAgent({
        maxTurns: 1,
        allowedTools: TOOLS,
        env: { ANTHROPIC_API_KEY: 'fake-key' },
        pathToClaudeCodeExecutable: path,
      });

      await expect(agent.preflight()).rejects.toThrow(`the Claude Code executable ${path} does not exist`);
    });

    it('fails with the SDK loader’s error when the agent SDK does not load', async () => {
      const missing = new EnvironmentError(
        'could not load @anthropic-ai/claude-agent-sdk from /nowhere/sdk.mjs',
      );
      const agent = createClaudeAgent({
        maxTurns: 1,
        allowedTools: TOOLS,
        env: { ANTHROPIC_API_KEY: 'fake-key' },
        loadSdk: () => Promise.reject(missing),
      });

      await expect(agent.preflight()).rejects.toBe(missing);
    });
  });
});

describe('checkClaudeCredentials', () => {
  describe.each([
    ['ANTHROPIC_API_KEY', 'sk-ant-x'],
    ['CLAUDE_CODE_OAUTH_TOKEN', 'oauth'],
    ['ANTHROPIC_AUTH_TOKEN', 'gateway'],
    ['CLAUDE_CODE_USE_BEDROCK', '1'],
    ['CLAUDE_CODE_USE_VERTEX', 'true'],
  ])('with %s=%s', (name, value) => {
    it('accepts the environment', () => {
      expect(() => checkClaudeCredentials({ [name]: value })).not.toThrow();
    });
  });

  describe.each([
    ['ANTHROPIC_API_KEY', ''],
    ['ANTHROPIC_API_KEY', '   '],
    ['CLAUDE_CODE_USE_BEDROCK', '0'],
    ['CLAUDE_CODE_USE_VERTEX', 'false'],
  ])('with only %s=%j', (name, value) => {
    it('refuses the environment with an EnvironmentError', () => {
      expect(() => checkClaudeCredentials({ [name]: value })).toThrow(EnvironmentError);
    });
  });
});

function toolNames(body: Record<string, unknown>): string[] {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.map((tool: unknown) =>
    typeof tool === 'object' && tool !== null && 'name' in tool ? String(tool.name) : '',
  );
}
