import { randomUUID } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { sep } from 'node:path';
import { DEFAULT_KILL_GRACE_MS } from './kill-process-group.ts';

/**
 * Environment variable every agent process carries, with a value unique to one agent run (as the Actions runner tags
 * a job's processes with RUNNER_TRACKING_ID). Children inherit it, also after `setsid`, a double fork or `nohup`, so
 * processes that left the agent's process group are still found.
 */
export const TRACKING_VARIABLE = 'CLUSTER_AGENT_TRACKING_ID';

/** A new value for {@link TRACKING_VARIABLE}. */
export function newTrackingId(): string {
  return randomUUID();
}

/** How to recognise one agent run's processes. */
export interface AgentProcessTag {
  /** The run's {@link TRACKING_VARIABLE} value. */
  trackingId: string;
  /** The directory the agent worked in; a process started during the run whose cwd is inside it is the agent's too. */
  dir: string;
  /**
   * Start time of the agent's leader process ({@link processStartTime}): the cwd rule takes only processes started at
   * or after it, never older ones (a service an earlier workflow step started in the same checkout).
   */
  since?: number;
}

const POLL_MS = 100;
const ROUNDS = 3;

/**
 * Stops every process an agent run left behind outside its process group: those whose environment carries the run's
 * tracking id, and those started since the agent whose working directory lies inside `dir` (which catches `env -i`).
 * SIGTERM first, SIGKILL after `graceMs`; repeated so a process that forks while dying is caught too. The engine
 * itself and its ancestors are never touched. Linux only (it reads /proc); elsewhere it does nothing and the process
 * group kill is all there is. Returns the ids it signalled.
 */
export async function killEscapedProcesses(
  tag: AgentProcessTag,
  graceMs: number = DEFAULT_KILL_GRACE_MS,
): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const spared = await ancestors(process.pid);
  const { since } = tag;
  const signalled = new Set<number>();
  for (let round = 0; round < ROUNDS; round++) {
    const found = (await findTagged(tag, since)).filter((pid) => !spared.has(pid));
    if (found.length === 0) break;
    for (const pid of found) {
      if (signal(pid, 'SIGTERM')) signalled.add(pid);
    }
    const deadline = Date.now() + graceMs;
    let alive = found;
    while (alive.length > 0 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, POLL_MS));
      alive = (await Promise.all(alive.map(async (pid) => ((await isRunning(pid)) ? pid : -1)))).filter(
        (pid) => pid !== -1,
      );
    }
    for (const pid of alive) signal(pid, 'SIGKILL');
  }
  return [...signalled];
}

/** Processes carrying the tracking id, or started at or after `since` with their cwd inside the directory. */
async function findTagged(tag: AgentProcessTag, since: number | undefined): Promise<number[]> {
  const marker = `${TRACKING_VARIABLE}=${tag.trackingId}`;
  const inside = tag.dir.endsWith(sep) ? tag.dir : `${tag.dir}${sep}`;
  const found: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (!(await isRunning(pid))) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (environ.split('\0').includes(marker)) {
      found.push(pid);
      continue;
    }
    if (since === undefined) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    // A deleted directory reads as "<path> (deleted)": the worktree may already be gone.
    const path = cwd.replace(/ \(deleted\)$/, '');
    if (path !== tag.dir && !path.startsWith(inside)) continue;
    const started = await processStartTime(pid);
    if (started !== undefined && started >= since) found.push(pid);
  }
  return found;
}

/** `pid` and every process above it up to init. */
async function ancestors(pid: number): Promise<Set<number>> {
  const chain = new Set<number>([pid]);
  let current = pid;
  while (current > 1) {
    const parent = Number((await statFields(current))?.[1] ?? 0);
    if (!(parent > 0) || chain.has(parent)) break;
    chain.add(parent);
    current = parent;
  }
  return chain;
}

/** Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, … */
async function statFields(pid: number): Promise<string[] | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** When `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined off Linux or when gone. */
export async function processStartTime(pid: number): Promise<number | undefined> {
  const value = (await statFields(pid))?.[19];
  return value === undefined ? undefined : Number(value);
}

/** Alive and not a zombie (zombies cannot be hurt, and in containers without an init nobody reaps them). */
async function isRunning(pid: number): Promise<boolean> {
  const state = (await statFields(pid))?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    // Gone already, or not ours to signal.
    return false;
  }
}
