import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatchEvent, runBundledAction } from '../test/action/run-bundled-action.ts';
import { createTempRemote } from '../test/helpers/temp-remote.ts';
import { type LaunchMeasurement, launchMarkCommand, measureLaunches } from './read-launch-mark.ts';

/** Time from the start of the bundle's process to the agent's launch, in task mode. */
export type ActionStartupBenchResult = LaunchMeasurement;

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
    return await measureLaunches(
      runs,
      (run) => join(marks, `started-${run}`),
      (run) =>
        runBundledAction({
          bundle: options.bundle,
          workspace: remote.clone(),
          event: dispatchEvent(),
          inputs: {
            mode: 'task',
            task: JSON.stringify({ id: `t${run}`, title: 'bench', prompt: 'record the start' }),
            'run-id': 'bench',
            agent: launchMarkCommand(join(marks, `started-${run}`)),
          },
        }),
    );
  } finally {
    remote.remove();
    rmSync(marks, { recursive: true, force: true });
  }
}
