import type { Agent } from '../core/agent/agent-contract.ts';
import { createClaudeAgent } from '../core/agent/claude-agent.ts';
import { createCommandAgent } from '../core/agent/command-agent.ts';
import type { Config } from '../core/config/config-schema.ts';

/**
 * The agent a CLI run uses: the `--agent` command when given, else Claude Code through the agent SDK (with the
 * executable the SDK brings), whose preflight accepts a `claude auth login` as well as credential variables.
 */
export function selectAgent(agentCommand: string | undefined, config: Config): Agent {
  if (agentCommand !== undefined) return createCommandAgent(agentCommand);
  return createClaudeAgent({
    model: config.model,
    maxTurns: config.max_turns,
    allowedTools: config.allowed_tools,
    budgetUsd: config.budget.per_task_usd,
    // A local user is often logged in to Claude Code rather than holding a key in the environment.
    loginCheck: 'claude-code',
  });
}
