import type { Agent } from '../agent/agent-contract.ts';
import { planWithAgent } from '../agent/plan-with-agent.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { readIssuePlan } from '../plan/read-issue-plan.ts';

/** Where a run's plan came from. */
export type PlanSource = 'block' | 'task-list' | 'agent';

/**
 * The plan of an issue: its explicit ```cluster block, else its task list, else a plan the agent writes (one retry
 * with the validation problems fed back). Throws InputError when the plan found or written is invalid; nothing is
 * changed in any repository by planning.
 */
export async function resolveRunPlan(input: {
  issueTitle: string;
  issueBody: string;
  maxTasks: number;
  /** The agent to plan with when the issue has no plan; without one, such an issue is refused. */
  planner?: { agent: Agent; cwd: string; runId: string; timeoutMs: number; signal?: AbortSignal };
}): Promise<{ plan: Plan; source: PlanSource; costUsd?: number }> {
  const found = readIssuePlan(input.issueBody, { maxTasks: input.maxTasks });
  if (found.source !== 'none') return { plan: found.plan, source: found.source };
  if (input.planner === undefined) {
    throw new Error('the issue has no plan and no agent was given to write one');
  }
  await input.planner.agent.preflight();
  const planned = await planWithAgent({
    agent: input.planner.agent,
    cwd: input.planner.cwd,
    runId: input.planner.runId,
    issueTitle: input.issueTitle,
    issueBody: input.issueBody,
    maxTasks: input.maxTasks,
    timeoutMs: input.planner.timeoutMs,
    signal: input.planner.signal,
  });
  return { plan: planned.plan, source: 'agent', costUsd: planned.costUsd };
}
