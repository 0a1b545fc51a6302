import { readFileSync } from 'node:fs';

/**
 * Shell that records the moment of the agent's launch in `file`: the time in milliseconds, then the `/proc` stat line
 * of the process that launched it (the action's Node process, `$PPID` of the shell it starts), for its CPU time.
 */
export function launchMarkCommand(file: string): string {
  return `{ date +%s%3N; cat /proc/$PPID/stat 2>/dev/null; } > '${file}'`;
}

/** When the agent was launched, and the CPU seconds its launcher and the children it waited for had used by then. */
export interface LaunchMark {
  atMs: number;
  /** utime + stime + cutime + cstime; undefined without `/proc` (not Linux) or when the launcher is not Node. */
  cpuSeconds: number | undefined;
}

/** How `/proc` names a Node process: Node 24 names its main thread `MainThread`. */
const NODE_COMMANDS = new Set(['node', 'MainThread']);

/** Clock ticks per second of `/proc/<pid>/stat` on Linux. */
const CLOCK_TICKS = 100;

/** Reads a mark written by `launchMarkCommand`. */
export function readLaunchMark(file: string): LaunchMark {
  const [time = '', stat = ''] = readFileSync(file, 'utf8').split('\n');
  const close = stat.lastIndexOf(')');
  const command = stat.slice(stat.indexOf('(') + 1, close);
  // After "pid (comm) ": state is field 3, utime..cstime are fields 14..17.
  const fields = stat.slice(close + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
  return {
    atMs: Number(time.trim()),
    cpuSeconds: NODE_COMMANDS.has(command) && Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined,
  };
}

/** Median and largest of `samples` (seconds), or undefined when any is missing. */
export function summarize(samples: Array<number | undefined>): { median: number; max: number } | undefined {
  if (samples.some((sample) => sample === undefined)) return undefined;
  const sorted = (samples as number[]).toSorted((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
}

/** Time from the start of the action's process to the agent's launch, over several runs. */
export interface LaunchMeasurement {
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
 * Starts the action `runs` times through `startOnce(run)` (which returns once that action's process ended) and
 * measures each from just before the start to the launch its agent recorded in `markOf(run)`, in wall and CPU time.
 */
export async function measureLaunches(
  runs: number,
  markOf: (run: number) => string,
  startOnce: (run: number) => Promise<unknown>,
): Promise<LaunchMeasurement> {
  const samples: number[] = [];
  const cpu: Array<number | undefined> = [];
  for (let run = 0; run < runs; run++) {
    const spawnedAt = Date.now();
    await startOnce(run);
    const launch = readLaunchMark(markOf(run));
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
}
