import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatchEvent, runBundledAction } from '../test/action/run-bundled-action.ts';
import { createTempRemote } from '../test/helpers/temp-remote.ts';
import { launchMarkCommand, readLaunchMark, summarize } from './read-launch-mark.ts';

/** Time from the start of the bundle's process to the agent's launch, in task mode. */
export interface ActionStartupBenchResult {
  runs: number;
  medianSeconds: number;
  maxSeconds: number;
  /**
   * CPU seconds the action's process (and the git commands it waited for) used until the launch: unlike the wall
   * time, it hardly changes when other work shares the machine. Undefined where `/proc` is missing.
   */
  cpuSeconds: { median: number; max: number } | undefined;
  target: { maxSeconds: number; met: boolean };
}

/**
 * Runs the committed bundle (or `bundle`) in task mode `runs` times (a fresh clone of a local bare repository each
 * time) with an agent that records the moment it starts, and measures from just before the process is spawned.
 * Excludes the Claude Code install (a command agent is used), includes Node's start, the bundle's load, input and
 * event parsing, config loading and the engine's git preparation.
 */
export async function runActionStartupBench(
  options: { runs?: number; bundle?: string } = {},
): Promise<ActionStartupBenchResult> {
  const { runs = 7 } = options;
  const remote = createTempRemote();
  const marks = mkdtempSync(join(tmpdir(), 'cluster-bench-startup-'));
  try {
    const samples: number[] = [];
    const cpu: Array<number | undefined> = [];
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
          agent: launchMarkCommand(mark),
        },
      });
      const launch = readLaunchMark(mark);
      samples.push((launch.atMs - spawnedAt) / 1000);
      cpu.push(launch.cpuSeconds);
    }
    const wall = summarize(samples)!;
    return {
      runs,
      medianSeconds: wall.median,
      maxSeconds: wall.max,
      cpuSeconds: summarize(cpu),
      target: { maxSeconds: 0.5, met: wall.median <= 0.5 },
    };
  } finally {
    remote.remove();
    rmSync(marks, { recursive: true, force: true });
  }
}
