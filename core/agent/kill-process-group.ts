import { readdir, readFile } from 'node:fs/promises';

/** How long a process group gets to exit after SIGTERM before it is sent SIGKILL. */
export const DEFAULT_KILL_GRACE_MS = 2_000;

const POLL_MS = 100;
/** After SIGKILL the kernel needs a moment; waiting keeps callers from committing while a process still writes. */
const AFTER_KILL_WAIT_MS = 1_000;

/**
 * Stops every process in the group led by `pid`: SIGTERM first, then SIGKILL for whatever is still alive
 * after `graceMs`. Resolves once the group is gone (or SIGKILL has been sent and had a moment to land).
 * The group must have been started with `detached: true`, which makes the child its own group leader.
 */
export async function killProcessGroup(pid: number, graceMs: number = DEFAULT_KILL_GRACE_MS): Promise<void> {
  if (!signalGroup(pid, 'SIGTERM')) return;
  if (await waitForGroupExit(pid, graceMs)) return;
  if (!signalGroup(pid, 'SIGKILL')) return;
  await waitForGroupExit(pid, AFTER_KILL_WAIT_MS);
}

/**
 * True while a process of the group still runs. Zombies do not count: where PID 1 does not reap orphans
 * (containers without an init) they stay forever, and signals cannot hurt them anyway.
 */
export async function isProcessGroupAlive(pid: number): Promise<boolean> {
  if (!signalGroup(pid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const states = await memberStates(pid);
  // No member visible in /proc although the group answers: /proc hides it, so trust the signal.
  return states.length === 0 || states.some((state) => state !== 'Z');
}

/** The process states (`R`, `S`, `Z`…) of the group's members, read from /proc. */
async function memberStates(pgid: number): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const states: string[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, pgrp, …
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pgrp === String(pgid) && state !== undefined) states.push(state);
    } catch {
      // The process ended while we looked.
    }
  }
  return states;
}

/** Sends `signal` to the group; false when the group no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    // EPERM means the group exists but is not ours to signal; treat it as alive so callers keep waiting.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForGroupExit(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!(await isProcessGroupAlive(pid))) return true;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  return !(await isProcessGroupAlive(pid));
}
