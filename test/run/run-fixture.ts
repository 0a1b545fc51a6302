import { createCommandAgent } from '../../core/agent/command-agent.ts';
import { type Config, type ConfigInput, ConfigSchema } from '../../core/config/config-schema.ts';
import { assertValidPlan } from '../../core/plan/validate-plan.ts';
import type { RunReport, TaskOutcome } from '../../core/report/report-model.ts';
import { runCluster } from '../../core/run/run-cluster.ts';
import type { RunEvent } from '../../core/run/run-events.ts';
import { stubAgentCommand, type TempRepo } from '../helpers/temp-repo.ts';

/** A task as tests write it: the prompt holds stub-agent directives. */
export interface TestTask {
  id: string;
  prompt: string;
  depends_on?: string[];
  files?: string[];
}

/** Runs a plan on `repo` with the stub agent; returns the report and the events seen. */
export async function runWithStub(
  repo: TempRepo,
  tasks: TestTask[],
  config: ConfigInput = {},
  extra: { signal?: AbortSignal; runId?: string; onEvent?: (event: RunEvent) => void } = {},
): Promise<{ report: RunReport; events: RunEvent[]; config: Config }> {
  const plan = assertValidPlan({ tasks: tasks.map((task) => ({ title: `Task ${task.id}`, ...task })) });
  const parsed = ConfigSchema.parse({ max_parallel: 4, ...config });
  const events: RunEvent[] = [];
  const report = await runCluster({
    repoDir: repo.dir,
    base: 'main',
    runId: extra.runId ?? 'r1',
    title: 'Test issue',
    plan,
    config: parsed,
    agent: createCommandAgent(stubAgentCommand()),
    signal: extra.signal,
    onEvent: (event) => {
      events.push(event);
      extra.onEvent?.(event);
    },
  });
  return { report, events, config: parsed };
}

/** The outcome of one task in a report. */
export function outcome(report: RunReport, id: string): TaskOutcome {
  const task = report.tasks.find((candidate) => candidate.id === id);
  if (!task) throw new Error(`no task ${id} in the report`);
  return task;
}
