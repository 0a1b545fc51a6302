import { InputError } from '../errors/errors.ts';
import type { Plan } from '../plan/plan-schema.ts';
import type { Agent, AgentRunResult } from './agent-contract.ts';
import { buildPlanPrompt } from './build-plan-prompt.ts';
import { extractPlanOutput } from './extract-plan-output.ts';

/** What {@link planWithAgent} needs. */
export interface PlanWithAgentInput {
  agent: Agent;
  /** Where the agent runs: the repository, so it can read the code it plans for. */
  cwd: string;
  runId: string;
  issueTitle: string;
  issueBody: string;
  maxTasks: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Per attempt, for agents that enforce one. */
  budgetUsd?: number;
  signal?: AbortSignal;
}

/** The plan and what it took to get it. */
export interface AgentPlan {
  plan: Plan;
  /** 1, or 2 when the first plan was refused and fed back. */
  attempts: number;
  /** Summed over the attempts that reported a cost. */
  costUsd?: number;
  turns?: number;
}

/**
 * Asks the agent for a plan (`plan` mode). A missing or invalid plan is fed back once, with its problems,
 * in a `PLAN-FEEDBACK` section; a second invalid plan throws an InputError listing its problems. A failed
 * agent run throws an error naming the agent; an aborted one throws the signal's reason.
 */
export async function planWithAgent(input: PlanWithAgentInput): Promise<AgentPlan> {
  const runs: AgentRunResult[] = [];
  let feedback: string[] | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = await input.agent.run({
      mode: 'plan',
      cwd: input.cwd,
      runId: input.runId,
      prompt: buildPlanPrompt({
        issueTitle: input.issueTitle,
        issueBody: input.issueBody,
        maxTasks: input.maxTasks,
        ...(feedback === undefined ? {} : { feedback }),
      }),
      ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
      ...(input.budgetUsd === undefined ? {} : { budgetUsd: input.budgetUsd }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    runs.push(result);
    if (result.aborted) input.signal?.throwIfAborted();
    if (!result.ok) {
      throw new Error(
        `planning with agent \`${input.agent.name}\` failed (attempt ${attempt} of 2): ${result.error ?? `it exited ${result.exitCode ?? 'on a signal'}`}`,
      );
    }
    const extracted = extractPlanOutput(result.stdout, { maxTasks: input.maxTasks });
    if (extracted.ok) return { plan: extracted.plan, attempts: attempt, ...totals(runs) };
    feedback = extracted.problems;
  }
  throw new InputError("the agent's plan is invalid after one retry", feedback ?? []);
}

function totals(runs: AgentRunResult[]): { costUsd?: number; turns?: number } {
  const costs = runs.flatMap((run) => (run.costUsd === undefined ? [] : [run.costUsd]));
  const turns = runs.flatMap((run) => (run.turns === undefined ? [] : [run.turns]));
  return {
    ...(costs.length === 0 ? {} : { costUsd: costs.reduce((sum, cost) => sum + cost, 0) }),
    ...(turns.length === 0 ? {} : { turns: turns.reduce((sum, count) => sum + count, 0) }),
  };
}
