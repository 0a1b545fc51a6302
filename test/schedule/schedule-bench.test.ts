import { beforeAll, describe, expect, it } from 'vitest';
import { runScheduleBench, type ScheduleBenchResult } from '../../bench/schedule-bench.ts';

describe('runScheduleBench', () => {
  const small = { seed: 7, dags: 4, largeTasks: 100 };
  let result: ScheduleBenchResult;

  beforeAll(async () => {
    result = await runScheduleBench(small);
  });

  it('returns a result that survives JSON unchanged', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('measures the same ratios for the same seed', async () => {
    const { timing: _again, ...again } = await runScheduleBench(small);
    const { timing: _first, ...first } = result;
    expect(again).toEqual(first);
  });

  it('reports every ratio at or above the lower bound and the targets as met only when both hold', () => {
    const { criticalPath, levelWave, runs } = result;
    expect(runs).toBe(small.dags * 4);
    for (const summary of [criticalPath, levelWave, ...Object.values(criticalPath.byParallel)]) {
      expect(summary.median).toBeGreaterThanOrEqual(1);
      expect(summary.p95).toBeGreaterThanOrEqual(summary.median);
    }
    const { medianTarget, p95Target, met } = criticalPath.targets;
    expect(met).toBe(criticalPath.median <= medianTarget && criticalPath.p95 <= p95Target);
  });

  it('times the large run at the requested size and at twice that, with and without files', () => {
    expect(result.timing.map(({ tasks, withFiles }) => ({ tasks, withFiles }))).toEqual([
      { tasks: 100, withFiles: false },
      { tasks: 200, withFiles: false },
      { tasks: 100, withFiles: true },
      { tasks: 200, withFiles: true },
    ]);
    expect(result.timing.every((run) => run.milliseconds >= 0)).toBe(true);
  });
});
