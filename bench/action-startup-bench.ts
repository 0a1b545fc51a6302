import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatchEvent, runBundledAction } from '../test/action/run-bundled-action.ts';
import { createTempRemote } from '../test/helpers/temp-remote.ts';

/** Time from the start of the bundle's process to the agent's launch, in task mode. */
export interface ActionStartupBenchResult {
  runs: number;
  medianSeconds: number;
  maxSeconds: number;
  target: { maxSeconds: number; met: boolean };
}

/**
 * Runs the committed bundle in task mode `runs` times (a fresh clone of a local bare repository each time) with an
 * agent that records the moment it starts, and measures from just before the process is spawned. Excludes the
 * Claude Code install (a command agent is used), includes Node's start, the bundle's load, input and event parsing,
 * config loading and the engine's git preparation.
 */
export async function runActionStartupBench(
  options: { runs?: number; bundle?: string } = {},
): Promise<ActionStartupBenchResult> {
  const { runs = 7 } = options;
  const remote = createTempRemote();
  const marks = mkdtempSync(join(tmpdir(), 'cluster-bench-startup-'));
  try {
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      const mark = join(marks, `started-${run}`);
      const spawnedAt = Date.now();
      await runBundledAction({
        bundle: options.bundle,
        workspace: remote.clone(),
        event: dispatchEvent(),
        inputs: {
          mode: 'task',
          task: JSON.stringify({ id: `t${run}`, title: 'bench', prompt: 'record the start' }),
          'run-id': 'bench',
          agent: `date +%s%3N > ${mark}`,
        },
      });
      samples.push((Number(readFileSync(mark, 'utf8').trim()) - spawnedAt) / 1000);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    return {
      runs,
      medianSeconds: median,
      maxSeconds: samples.at(-1)!,
      target: { maxSeconds: 0.5, met: median <= 0.5 },
    };
  } finally {
    remote.remove();
    rmSync(marks, { recursive: true, force: true });
  }
}
