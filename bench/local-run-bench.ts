import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCommandAgent } from '../core/agent/command-agent.ts';
import { ConfigSchema } from '../core/config/config-schema.ts';
import { assertValidPlan } from '../core/plan/validate-plan.ts';
import { runCluster } from '../core/run/run-cluster.ts';

/** Local-mode wall time for independent tasks of a fixed-length agent, against the ideal. */
export interface LocalRunBenchResult {
  tasks: number;
  parallel: number;
  agentSeconds: number;
  idealSeconds: number;
  wallSeconds: number;
  ratio: number;
  target: { maxRatio: number; met: boolean };
  integrated: number;
}

/**
 * Runs `tasks` independent tasks whose agent (a shell command) takes `agentSeconds` each, at `parallel`, through the whole
 * local pipeline (worktrees, commits, integration, ledger). The ideal is ceil(tasks / parallel) × agentSeconds.
 */
export async function runLocalRunBench(
  options: { tasks?: number; parallel?: number; agentSeconds?: number } = {},
): Promise<LocalRunBenchResult> {
  const { tasks = 16, parallel = 8, agentSeconds = 2 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'cluster-bench-local-'));
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '--quiet', '--initial-branch=main');
    writeFileSync(join(dir, 'README.md'), '# bench\n');
    git('add', '-A');
    git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '--quiet', '-m', 'init');
    const plan = assertValidPlan({
      tasks: Array.from({ length: tasks }, (_, index) => ({
        id: `task-${index}`,
        title: `Task ${index}`,
        prompt: `Write out/${index}.txt.`,
      })),
    });
    // A shell agent: the benchmark measures the engine's overhead, not an agent's start-up time.
    const agent = `sleep ${agentSeconds} && mkdir -p out && echo "$CLUSTER_TASK_ID" > "out/$CLUSTER_TASK_ID.txt"`;
    const started = performance.now();
    const report = await runCluster({
      repoDir: dir,
      base: 'main',
      runId: 'bench',
      title: 'bench',
      plan,
      config: ConfigSchema.parse({ max_parallel: parallel, max_tasks: tasks }),
      agent: createCommandAgent(agent),
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const idealSeconds = Math.ceil(tasks / parallel) * agentSeconds;
    const ratio = wallSeconds / idealSeconds;
    return {
      tasks,
      parallel,
      agentSeconds,
      idealSeconds,
      wallSeconds: round(wallSeconds),
      ratio: round(ratio),
      target: { maxRatio: 1.15, met: ratio <= 1.15 },
      integrated: report.tasks.filter((task) => task.state === 'integrated').length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
