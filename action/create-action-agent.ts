import { join } from 'node:path';
import type { Agent } from '../core/agent/agent-contract.ts';
import { createCommandAgent } from '../core/agent/command-agent.ts';
import type { Config } from '../core/config/config-schema.ts';
import type { ActionInputs } from './action-inputs.ts';
import { buildAgentEnvironment } from './agent-environment.ts';
import { importAgentSdk } from './import-agent-sdk.ts';
import { installClaudeCode, type ToolCache } from './install-claude-code.ts';
import { parseClaudeArgs } from './parse-claude-args.ts';

/** What building the agent needs from the runner. */
export interface ActionAgentContext {
  inputs: ActionInputs;
  config: Config;
  /** The job's environment; the agent gets a scrubbed copy. */
  env: NodeJS.ProcessEnv;
  /** Where Claude Code versions are installed (`RUNNER_TOOL_CACHE`). */
  toolDir: string;
  cache?: ToolCache;
  warn: (message: string) => void;
}

/**
 * The agent of a job: the `agent` input's command, or Claude Code installed at the pinned version from the npm
 * registry, driven by the agent SDK installed beside it (imported from there, never bundled). Either way its environment holds no GitHub or Actions token and at most one model credential; budget and
 * max turns are always set.
 */
export async function createActionAgent(context: ActionAgentContext): Promise<Agent> {
  const { inputs, config } = context;
  const secrets = [inputs['github-token']].filter((value): value is string => value !== undefined);
  const credential = {
    'anthropic-api-key': inputs['anthropic-api-key'],
    'claude-code-oauth-token': inputs['claude-code-oauth-token'],
    'use-bedrock': inputs['use-bedrock'],
    'use-vertex': inputs['use-vertex'],
  };
  if (inputs.agent !== undefined) {
    return createCommandAgent(inputs.agent, {
      env: buildAgentEnvironment(context.env, { credential, secrets, agentKind: 'command' }),
    });
  }
  // Credentials are checked before anything is downloaded.
  const env = buildAgentEnvironment(context.env, { credential, secrets });
  const extraArgs = parseClaudeArgs(inputs['claude-args']);
  const installed = await installClaudeCode({
    version: inputs['claude-code-version'],
    toolDir: join(context.toolDir, 'claude-code'),
    cache: context.cache,
    warn: context.warn,
    // npm's install scripts see the scrubbed environment, never the tokens.
    env: buildAgentEnvironment(context.env, { credential: {}, secrets, agentKind: 'command' }),
  });
  // Started now, awaited at the agent's first run: parsing the SDK overlaps the engine's git preparation.
  const sdk = importAgentSdk(installed.agentSdkEntry);
  // A failure surfaces where the promise is awaited; until then it must not count as unhandled.
  sdk.catch(() => {});
  // Loaded on demand: command agents never need it.
  const { createClaudeAgent } = await import('../core/agent/claude-agent.ts');
  return createClaudeAgent({
    model: config.model,
    maxTurns: config.max_turns,
    allowedTools: config.allowed_tools,
    budgetUsd: config.budget.per_task_usd,
    env,
    pathToClaudeCodeExecutable: installed.executable,
    loadSdk: () => sdk,
    extraArgs,
  });
}
