/**
 * The default agent: Claude Code, driven through `@anthropic-ai/claude-agent-sdk` with the native executable
 * the SDK brings. The SDK is loaded when the agent first runs: from this package's dependencies by default, or
 * through `loadSdk` (the action imports it from the folder it installs the CLI into, since the SDK's licence
 * forbids bundling it). Failures of the agent (API errors, limits, timeouts, a crashed CLI) come back as
 * `ok: false` with a sentence saying what to do; `run()` never throws for them.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Options, query, SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import { z } from 'zod';
import { EnvironmentError } from '../errors/errors.ts';
import { PlanSchema } from '../plan/plan-schema.ts';
import type { Agent, AgentRunInput, AgentRunResult } from './agent-contract.ts';
import { checkClaudeCredentials, checkClaudeLogin } from './check-claude-credentials.ts';
import {
  assistantText,
  ClaudeAssistantSchema,
  type ClaudeLimits,
  type ClaudeRunObservation,
  toAgentRunResult,
} from './claude-result.ts';
import {
  killEscapedProcesses,
  newTrackingId,
  processStartTime,
  TRACKING_VARIABLE,
} from './kill-escaped-processes.ts';
import { killProcessGroup } from './kill-process-group.ts';
import { readClaudeAuthStatus } from './read-claude-auth-status.ts';

/** The part of the agent SDK the agent uses. */
export interface ClaudeAgentSdk {
  query: typeof query;
}

/** How the Claude agent is configured (from `.github/claude-cluster.yml` and the entry point). */
export interface ClaudeAgentOptions {
  /** Claude model; Claude Code's default when unset. */
  model?: string;
  maxTurns: number;
  /** Tools that run without asking; web tools stay off unless listed here. */
  allowedTools: string[];
  disallowedTools?: string[];
  /** Default per-invocation budget in USD; `AgentRunInput.budgetUsd` overrides it. */
  budgetUsd?: number;
  /** Environment of the Claude Code process; `process.env` when unset. */
  env?: NodeJS.ProcessEnv;
  /** Claude Code executable; the one bundled with the SDK when unset (a bundled build must set it). */
  pathToClaudeCodeExecutable?: string;
  /** Extra instructions appended to the system prompt after the cluster context. */
  appendSystemPrompt?: string;
  /**
   * How the preflight knows Claude Code can authenticate. `environment` (the default): a credential variable must be
   * set, as the action sets one from its inputs. `claude-code`: a variable, or else Claude Code's own answer to
   * `claude auth status`, which also knows `claude auth login`, the keychain and an `apiKeyHelper` (the CLI).
   */
  loginCheck?: 'environment' | 'claude-code';
  /** Further Claude Code CLI flags (`--flag value`, or `--flag` → null), e.g. from the action's `claude-args`. */
  extraArgs?: Record<string, string | null>;
  /** Loads the agent SDK, once, before the first run; this package's own dependency by default. */
  loadSdk?: () => Promise<ClaudeAgentSdk>;
}

/** The plan's JSON Schema, from the zod schema that validates it afterwards anyway. */
const { $schema: _dialect, ...PLAN_JSON_SCHEMA } = z.toJSONSchema(PlanSchema, {
  io: 'input',
  target: 'draft-7',
}) as Record<string, unknown>;

/** Web access is opt-in: these are disallowed unless `allowedTools` names them. */
const WEB_TOOLS = ['WebFetch', 'WebSearch'];
/** Tools that change files, removed while planning so a plan run leaves the repository as it was. */
const EDIT_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];
/** Characters of Claude Code's stderr kept for error messages. */
const STDERR_TAIL_LIMIT = 4 * 1024;

/** Creates the Claude Code agent. */
export function createClaudeAgent(options: ClaudeAgentOptions): Agent {
  const baseEnv = options.env ?? process.env;
  let sdk: Promise<ClaudeAgentSdk> | undefined;
  const loadSdk = (): Promise<ClaudeAgentSdk> => {
    sdk ??= (options.loadSdk ?? importDependencySdk)();
    return sdk;
  };
  return {
    name: 'claude-code',
    preflight: async () => {
      await checkClaudeCodeReady(
        baseEnv,
        options.loginCheck ?? 'environment',
        options.pathToClaudeCodeExecutable,
      );
      // A missing or broken SDK is an environment problem: name it before any task starts.
      await loadSdk();
    },
    run: async (input) => runClaude(options, baseEnv, input, await loadSdk()),
  };
}

/** The SDK this package depends on (never bundled: the action's build marks it external). */
function importDependencySdk(): Promise<ClaudeAgentSdk> {
  return import('@anthropic-ai/claude-agent-sdk');
}

/**
 * Checks that Claude Code can start and authenticate, before any task: with `loginCheck: 'environment'` a credential
 * variable must be set; with `claude-code` Claude Code is asked when none is. `executable` defaults to the one the SDK
 * brings. Resolves to how it authenticates; throws an `EnvironmentError` naming the fix.
 */
export async function checkClaudeCodeReady(
  env: NodeJS.ProcessEnv,
  loginCheck: 'environment' | 'claude-code',
  executable?: string,
): Promise<string> {
  if (loginCheck === 'environment') checkClaudeCredentials(env);
  const path = executable ?? findBundledExecutable();
  await checkExecutable(path);
  return checkClaudeLogin(env, () => readClaudeAuthStatus(path, env));
}

/**
 * Finds the native executable the SDK would start, the same way it does: the platform package installed
 * beside it. Throws an `EnvironmentError` when it is missing.
 */
export function findBundledExecutable(): string {
  const require = createRequire(import.meta.url);
  const packages =
    process.platform === 'linux'
      ? [`linux-${process.arch}`, `linux-${process.arch}-musl`]
      : [`${process.platform}-${process.arch}`];
  const file = process.platform === 'win32' ? 'claude.exe' : 'claude';
  for (const suffix of packages) {
    try {
      return require.resolve(`@anthropic-ai/claude-agent-sdk-${suffix}/${file}`);
    } catch {
      // Not this variant; try the next one.
    }
  }
  throw new EnvironmentError(
    `the Claude Code executable for ${process.platform}-${process.arch} is not installed ` +
      `(package @anthropic-ai/claude-agent-sdk-${packages[0]}); reinstall dependencies without --omit=optional, ` +
      'or set pathToClaudeCodeExecutable to an installed `claude`',
  );
}

async function checkExecutable(path: string): Promise<void> {
  try {
    await access(path, constants.X_OK);
  } catch {
    throw new EnvironmentError(
      `the Claude Code executable ${path} does not exist or is not executable; reinstall ` +
        '@anthropic-ai/claude-agent-sdk, or point pathToClaudeCodeExecutable at an installed `claude`',
    );
  }
}

async function runClaude(
  options: ClaudeAgentOptions,
  baseEnv: NodeJS.ProcessEnv,
  input: AgentRunInput,
  sdk: ClaudeAgentSdk,
): Promise<AgentRunResult> {
  const state: ClaudeRunObservation = {
    startedAt: Date.now(),
    timedOut: false,
    aborted: false,
    stderrTail: '',
  };
  const limits: ClaudeLimits = {
    maxTurns: options.maxTurns,
    budgetUsd: input.budgetUsd ?? options.budgetUsd,
  };
  if (input.signal?.aborted) {
    state.aborted = true;
    return toAgentRunResult(state, input, limits);
  }

  const controller = new AbortController();
  const onAbort = (): void => {
    state.aborted = true;
    controller.abort();
  };
  input.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    input.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          state.timedOut = true;
          controller.abort();
        }, input.timeoutMs);
  let pid: number | undefined;
  let since: Promise<number | undefined> = Promise.resolve(undefined);
  const trackingId = newTrackingId();
  const spawnClaudeCodeProcess = (spawnOptions: SpawnOptions): SpawnedProcess => {
    const child = spawnGroupLeader(
      { ...spawnOptions, env: { ...spawnOptions.env, [TRACKING_VARIABLE]: trackingId } },
      (text) => {
        state.stderrTail = (state.stderrTail + text).slice(-STDERR_TAIL_LIMIT);
      },
    );
    pid = child.pid;
    if (pid !== undefined) since = processStartTime(pid);
    return child;
  };

  try {
    const messages = sdk.query({
      prompt: input.prompt,
      options: {
        ...buildQueryOptions(options, baseEnv, input, limits),
        abortController: controller,
        spawnClaudeCodeProcess,
      },
    });
    for await (const message of messages) {
      if (message.type === 'result') state.result = message;
      else if (message.type === 'assistant') {
        const parsed = ClaudeAssistantSchema.safeParse(message);
        if (parsed.success) state.lastText = assistantText(parsed.data) ?? state.lastText;
      }
    }
  } catch (error) {
    // After an error result the SDK throws too; the result message, when there is one, says more.
    state.thrown = error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
    // Nothing Claude Code started may keep writing to the worktree while the engine commits it.
    if (pid !== undefined) {
      await killProcessGroup(pid);
      // Processes that left the group (setsid, double fork, nohup) must not outlive the task either.
      await killEscapedProcesses({ trackingId, dir: input.cwd, since: await since });
    }
  }
  return toAgentRunResult(state, input, limits);
}

/** The SDK options for one invocation, apart from the abort controller and the spawner. */
function buildQueryOptions(
  options: ClaudeAgentOptions,
  baseEnv: NodeJS.ProcessEnv,
  input: AgentRunInput,
  limits: ClaudeLimits,
): Options {
  const planning = input.mode === 'plan';
  const allowedNames = new Set(options.allowedTools.map(toolName));
  const disallowedTools = unique([
    ...(options.disallowedTools ?? []),
    ...WEB_TOOLS.filter((tool) => !allowedNames.has(tool)),
    ...(planning ? EDIT_TOOLS : []),
  ]);
  return {
    cwd: input.cwd,
    ...(options.model === undefined ? {} : { model: options.model }),
    maxTurns: limits.maxTurns,
    ...(limits.budgetUsd === undefined ? {} : { maxBudgetUsd: limits.budgetUsd }),
    allowedTools: planning
      ? options.allowedTools.filter((tool) => !EDIT_TOOLS.includes(toolName(tool)))
      : options.allowedTools,
    disallowedTools,
    // acceptEdits accepts file edits in cwd and runs every tool in allowedTools (Bash included) without a
    // prompt; anything else is denied at once because nobody answers prompts (permissionPrompts: none).
    // bypassPermissions is not needed and would let the agent run tools the user did not allow.
    // Planning uses dontAsk: only the allowed tools run, and edits are refused rather than accepted.
    permissionMode: planning ? 'dontAsk' : 'acceptEdits',
    permissionPrompts: 'none',
    systemPrompt: {
      type: 'preset',
      preset: 'claude_code',
      append: clusterInstructions(input, options.appendSystemPrompt),
    },
    env: clusterEnv(baseEnv, input),
    // Planning asks for structured output: Claude Code itself makes the answer match the plan's JSON Schema.
    ...(planning ? { outputFormat: { type: 'json_schema' as const, schema: PLAN_JSON_SCHEMA } } : {}),
    ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
    ...(options.pathToClaudeCodeExecutable === undefined
      ? {}
      : { pathToClaudeCodeExecutable: options.pathToClaudeCodeExecutable }),
  };
}

/** `baseEnv` plus the same `CLUSTER_*` variables the command agent gets. */
function clusterEnv(baseEnv: NodeJS.ProcessEnv, input: AgentRunInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    CLAUDE_AGENT_SDK_CLIENT_APP: 'claude-cluster',
    ...baseEnv,
    CLUSTER_RUN_ID: input.runId,
    CLUSTER_MODE: input.mode,
  };
  // A planning run has no task: values inherited from an outer run must not pass for one.
  delete env.CLUSTER_TASK_ID;
  delete env.CLUSTER_TASK_TITLE;
  if (input.taskId !== undefined) env.CLUSTER_TASK_ID = input.taskId;
  if (input.taskTitle !== undefined) env.CLUSTER_TASK_TITLE = input.taskTitle;
  return env;
}

/** Appended to Claude Code's own system prompt: where the agent is and what it must not do. */
function clusterInstructions(input: AgentRunInput, extra: string | undefined): string {
  const task =
    input.taskId === undefined ? '' : ` \`${input.taskId}\`${input.taskTitle ? ` (${input.taskTitle})` : ''}`;
  const role = {
    plan: 'You are planning: read the repository and answer with the plan the prompt asks for. Do not change files; your final message is the plan.',
    task: `You are working on task${task} in a git worktree of its own (${input.cwd}); other workers change other parts of the repository at the same time. Change only what the task needs.`,
    resolve: `You are resolving a merge conflict for task${task} in ${input.cwd}: edit the conflicted files until no conflict markers remain, keeping the intent of both sides.`,
  }[input.mode];
  return [
    `You are one worker of claude-cluster (run ${input.runId}, mode ${input.mode}). ${role}`,
    'Do not commit, push, create or switch branches, or stash: the engine commits what you leave in the working tree.',
    'Nobody answers questions during the run: decide for yourself, and end with a short summary of what you did.',
    ...(extra === undefined || extra.trim() === '' ? [] : [extra.trim()]),
  ].join('\n');
}

/** Starts Claude Code as the leader of a new process group, passing its stderr to `onStderr`. */
function spawnGroupLeader(
  spawnOptions: SpawnOptions,
  onStderr: (text: string) => void,
): ChildProcessWithoutNullStreams {
  const child = spawn(spawnOptions.command, spawnOptions.args, {
    cwd: spawnOptions.cwd,
    env: spawnOptions.env,
    // The SDK's signal fires after its own graceful close; the group is stopped afterwards in runClaude.
    signal: spawnOptions.signal,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // Unread, a full stderr pipe would stall the CLI.
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', onStderr);
  return child;
}

/** `Bash(npm test:*)` → `Bash`. */
function toolName(rule: string): string {
  return rule.split('(')[0]?.trim() ?? rule;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
