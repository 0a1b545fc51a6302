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
