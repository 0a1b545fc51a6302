import type { Agent } from '../core/agent/agent-contract.ts';
import type { Config } from '../core/config/config-schema.ts';
import type { Plan } from '../core/plan/plan-schema.ts';
import { readIssuePlan } from '../core/plan/read-issue-plan.ts';
import { type PlanSource, resolveRunPlan } from '../core/run/resolve-run-plan.ts';
import { withPlanningWorktree } from './with-planning-worktree.ts';

/**
 * The plan of an issue for `plan` and `run`: read from the issue when it holds one (then no agent starts and no
 * worktree is made), else written by the agent `planner()` gives, in a throwaway worktree of `commit`.
 */
export async function planIssue(input: {
  issue: { title: string; body: string };
  config: Config;
  repoDir: string;
  runId: string;
  signal?: AbortSignal;
  planner: () => Promise<{ agent: Agent; commit: string }>;
}): Promise<{ plan: Plan; source: PlanSource }> {
  const { issue, config } = input;
  const found = readIssuePlan(issue.body, { maxTasks: config.max_tasks });
  if (found.source !== 'none') return { plan: found.plan, source: found.source };
  const { agent, commit } = await input.planner();
  return withPlanningWorktree(input.repoDir, commit, (cwd) =>
    resolveRunPlan({
      issueTitle: issue.title,
      issueBody: issue.body,
      maxTasks: config.max_tasks,
      planner: {
        agent,
        cwd,
        runId: input.runId,
        timeoutMs: config.task_timeout_minutes * 60_000,
        ...(input.signal === undefined ? {} : { signal: input.signal }),
      },
    }),
  );
}
