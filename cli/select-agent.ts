import type { Agent } from '../core/agent/agent-contract.ts';
import { createClaudeAgent } from '../core/agent/claude-agent.ts';
import { createCommandAgent } from '../core/agent/command-agent.ts';
import type { Config } from '../core/config/config-schema.ts';

/** The agent a CLI run uses: the `--agent` command when given, else Claude Code through the agent SDK. */
export function selectAgent(agentCommand: string | undefined, config: Config): Agent {
  if (agentCommand !== undefined) return createCommandAgent(agentCommand);
  return createClaudeAgent({
    model: config.model,
    maxTurns: config.max_turns,
    allowedTools: config.allowed_tools,
    budgetUsd: config.budget.per_task_usd,
  });
}
