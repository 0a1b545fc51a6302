import { performance } from 'node:perf_hooks';
import type { Plan } from '../core/plan/plan-schema.ts';
import { lowerBound, simulateSchedule } from '../core/schedule/simulate-schedule.ts';
import { createRandom, type DagShape, generateDag } from './schedule-random-dag.ts';

/** Knobs of the scheduling benchmark; the defaults are what the report quotes. */
export interface ScheduleBenchOptions {
  /** Seed of the PRNG; the same seed gives the same DAGs and results. */
  seed?: number;
  /** How many random DAGs; each runs at every parallelism. */
  dags?: number;
  /** Task count of the large DAGs timed for complexity; the same DAG at twice the size is timed too. */
  largeTasks?: number;
}

/** Makespan over lower bound across every (DAG, parallelism) pair. */
export interface RatioSummary {
  median: number;
  p95: number;
  max: number;
  /** Share of runs that reached the lower bound exactly. */
  optimalShare: number;
}

/** One timed run on a large DAG. */
export interface TimedRun {
  tasks: number;
  edges: number;
  withFiles: boolean;
  milliseconds: number;
}

/** The benchmark's JSON-able result. */
export interface ScheduleBenchResult {
  seed: number;
  dags: number;
  runs: number;
  parallel: number[];
  criticalPath: RatioSummary & {
    targets: { medianTarget: number; p95Target: number; met: boolean };
    byParallel: Record<string, RatioSummary>;
  };
  levelWave: RatioSummary & { byParallel: Record<string, RatioSummary> };
  /** Share of runs where critical-path finished strictly sooner / later than level-wave. */
  versusLevelWave: { better: number; worse: number };
  /** `createScheduler` plus a full simulated run, at `largeTasks` and twice that. */
  timing: TimedRun[];
}

const PARALLEL = [2, 4, 8, 16];
const MEDIAN_TARGET = 1.03;
const P95_TARGET = 1.1;

/**
 * Schedules seeded random DAGs (10–200 tasks, layered and random-order, mean in-degree 0.5–4,
 * durations 1–10 with a heavy tail, known to the scheduler as estimates) at parallelism 2, 4, 8 and 16
 * with both policies and compares each makespan with the lower bound; then times a large run.
 */
export async function runScheduleBench(options: ScheduleBenchOptions = {}): Promise<ScheduleBenchResult> {
  const seed = options.seed ?? 20261101;
  const dagCount = options.dags ?? 300;
  const random = createRandom(seed);
  const ratios = { critical: new Map<number, number[]>(), wave: new Map<number, number[]>() };
  let better = 0;
  let worse = 0;
  for (let dag = 0; dag < dagCount; dag++) {
    const shape: DagShape = dag % 2 === 0 ? 'layered' : 'random-order';
    const plan = generateDag(random, {
      tasks: random.int(10, 200),
      shape,
      meanDegree: 0.5 + random.next() * 3.5,
    });
    for (const parallel of PARALLEL) {
      const bound = lowerBound(plan, parallel);
      const critical = simulateSchedule(plan, { parallel, policy: 'critical-path' }).makespan;
      const wave = simulateSchedule(plan, { parallel, policy: 'level-wave' }).makespan;
      push(ratios.critical, parallel, critical / bound);
      push(ratios.wave, parallel, wave / bound);
      if (critical < wave) better++;
      if (critical > wave) worse++;
    }
  }
  const runs = dagCount * PARALLEL.length;
  const critical = summarize([...ratios.critical.values()].flat());
  const largeTasks = options.largeTasks ?? 10_000;
  return {
    seed,
    dags: dagCount,
    runs,
    parallel: PARALLEL,
    criticalPath: {
      ...critical,
      targets: {
        medianTarget: MEDIAN_TARGET,
        p95Target: P95_TARGET,
        met: critical.median <= MEDIAN_TARGET && critical.p95 <= P95_TARGET,
      },
      byParallel: summarizeEach(ratios.critical),
    },
    levelWave: { ...summarize([...ratios.wave.values()].flat()), byParallel: summarizeEach(ratios.wave) },
    versusLevelWave: { better: round(better / runs), worse: round(worse / runs) },
    timing: [
      timeRun(seed, largeTasks, 0),
      timeRun(seed, largeTasks * 2, 0),
      timeRun(seed, largeTasks, 20),
      timeRun(seed, largeTasks * 2, 20),
    ],
  };
}

function timeRun(seed: number, tasks: number, fileDirectories: number): TimedRun {
  const plan: Plan = generateDag(createRandom(seed + tasks), {
    tasks,
    shape: 'random-order',
    meanDegree: 3,
    fileDirectories,
  });
  const edges = plan.tasks.reduce((sum, task) => sum + task.depends_on.length, 0);
  // One warm-up run so the timing measures the algorithm, not the JIT.
  simulateSchedule(plan, { parallel: 16, policy: 'critical-path' });
  const started = performance.now();
  simulateSchedule(plan, { parallel: 16, policy: 'critical-path' });
  return { tasks, edges, withFiles: fileDirectories > 0, milliseconds: round(performance.now() - started) };
}

function push(byParallel: Map<number, number[]>, parallel: number, ratio: number): void {
  const list = byParallel.get(parallel) ?? [];
  list.push(ratio);
  byParallel.set(parallel, list);
}

function summarizeEach(byParallel: ReadonlyMap<number, number[]>): Record<string, RatioSummary> {
  return Object.fromEntries([...byParallel].map(([parallel, list]) => [String(parallel), summarize(list)]));
}

function summarize(ratios: readonly number[]): RatioSummary {
  const sorted = [...ratios].sort((a, b) => a - b);
  return {
    median: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    max: round(sorted.at(-1) ?? 0),
    optimalShare: round(sorted.filter((ratio) => ratio <= 1 + 1e-9).length / Math.max(1, sorted.length)),
  };
}

// Nearest-rank quantile of a sorted list.
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

if (import.meta.main) {
  console.log(JSON.stringify(await runScheduleBench(), null, 2));
}
