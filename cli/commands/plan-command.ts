import { resolve } from 'node:path';
import { git } from '../../core/git/run-git.ts';
import { renderMermaid } from '../../core/report/render-mermaid.ts';
import { renderTaskTable } from '../../core/report/render-task-table.ts';
import type { TaskOutcome } from '../../core/report/report-model.ts';
import type { CliIo } from '../cli-io.ts';
import { PlanOptionsSchema, parseOptions } from '../cli-options.ts';
import { loadRunConfig } from '../load-run-config.ts';
import { planIssue } from '../plan-issue.ts';
import { readIssueInput } from '../read-issue-input.ts';
import { selectAgent } from '../select-agent.ts';

/**
 * `claude-cluster plan`: reads and validates the issue's plan (or has the agent write one) and prints the task
 * table and the Mermaid graph, or the plan as JSON. Changes nothing.
 */
export async function planCommand(rawOptions: unknown, io: CliIo): Promise<number> {
  const options = parseOptions(PlanOptionsSchema, rawOptions);
  const repoDir = resolve(options.repo);
  const issue = await readIssueInput(options.issue, io.stdin);
  const config = await loadRunConfig(repoDir, options.config);
  const plan = await planIssue({
    issue,
    config,
    repoDir,
    runId: 'plan',
    signal: io.signal,
    planner: async () => {
      const agent = selectAgent(options.agent, config);
      await agent.preflight();
      return { agent, commit: await git(['rev-parse', 'HEAD'], { cwd: repoDir }) };
    },
  });
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ source: plan.source, plan: plan.plan }, null, 2)}\n`);
    return 0;
  }
  const tasks: TaskOutcome[] = plan.plan.tasks.map((task) => ({
    id: task.id,
    title: task.title,
    dependsOn: task.depends_on,
    state: 'pending',
    branch: '',
    files: task.files,
    conflicts: [],
  }));
  io.stdout.write(
    `${[
      `# Plan: ${issue.title}`,
      `${plan.plan.tasks.length} task(s), from ${plan.source === 'agent' ? 'the agent' : `the issue's ${plan.source}`}.`,
      renderTaskTable(tasks),
      renderMermaid(tasks),
    ].join('\n\n')}\n`,
  );
  return 0;
}
