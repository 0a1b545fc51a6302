import { spawn } from 'node:child_process';
import {
  killEscapedProcesses,
  newTrackingId,
  processStartTime,
  TRACKING_VARIABLE,
} from './kill-escaped-processes.ts';
import { killProcessGroup } from './kill-process-group.ts';

/** Bytes of stdout kept from the end even when the head is capped: the agent's final lines live there. */
const TAIL_BYTES = 64 * 1024;
/** Bytes of stderr kept: enough for the last lines of an error message. */
const STDERR_TAIL_BYTES = 8 * 1024;
/** How long to wait for stdout/stderr to close once the group is stopped before giving up on them. */
const STREAM_CLOSE_WAIT_MS = 1_000;

/** One shell command to run in its own process group. */
export interface ProcessGroupRequest {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to the command's stdin, which is then closed. */
  stdin: string;
  /** Bytes of stdout kept from the start; the rest is counted, not kept. */
  outputLimit: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL when the group is stopped. */
  killGraceMs?: number;
}

/** What happened to the command; the caller turns it into a user-facing result. */
export interface ProcessGroupOutcome {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** The first `outputLimit` bytes of stdout. */
  stdout: string;
  /** Bytes of stdout beyond `outputLimit` that were not kept. */
  stdoutDroppedBytes: number;
  /** The last bytes of stdout, kept even when the head is capped. */
  stdoutTail: string;
  /** The last bytes of stderr. */
  stderrTail: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the shell itself could not be started. */
  spawnError?: Error;
  durationMs: number;
}

/**
 * Runs `command` through `/bin/sh -c` as the leader of a new process group, so a timeout or an abort
 * can stop everything it started (SIGTERM to the group, SIGKILL after a grace period). Processes the
 * command leaves behind when it exits are stopped too, also those that left the group (`setsid`, a double
 * fork): they carry a tracking id in their environment or work inside `cwd` (see `killEscapedProcesses`).
 * Nothing may keep writing to the worktree while the engine commits it, or outlive its task.
 */
export function runProcessGroup(request: ProcessGroupRequest): Promise<ProcessGroupOutcome> {
  const startedAt = Date.now();
  const stdout = new HeadCapture(request.outputLimit);
  const stdoutTail = new TailCapture(TAIL_BYTES);
  const stderrTail = new TailCapture(STDERR_TAIL_BYTES);
  let timedOut = false;
  let aborted = false;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;

  return new Promise((resolve) => {
    const trackingId = newTrackingId();
    const child = spawn('/bin/sh', ['-c', request.command], {
      cwd: request.cwd,
      env: { ...request.env, [TRACKING_VARIABLE]: trackingId },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const since = child.pid === undefined ? Promise.resolve(undefined) : processStartTime(child.pid);
    let stopping: Promise<void> | undefined;
    let settled = false;
    const stop = (): Promise<void> => {
      if (stopping === undefined) {
        const pid = child.pid;
        stopping =
          pid === undefined
            ? Promise.resolve()
            : (async () => {
                await killProcessGroup(pid, request.killGraceMs);
                // Processes that left the group (setsid, double fork, nohup) are found by their tag.
                const tag = { trackingId, dir: request.cwd, since: await since };
                await killEscapedProcesses(tag, request.killGraceMs);
              })();
      }
      return stopping;
    };
    const timer =
      request.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            void stop();
          }, request.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      void stop();
    };
    const settle = (spawnError?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode,
        exitSignal,
        stdout: stdout.text(),
        stdoutDroppedBytes: stdout.droppedBytes,
        stdoutTail: stdoutTail.text(),
        stderrTail: stderrTail.text(),
        timedOut,
        aborted,
        ...(spawnError === undefined ? {} : { spawnError }),
        durationMs: Date.now() - startedAt,
      });
    };

    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });

    // An agent that never reads its prompt closes the pipe early (EPIPE); that is not an error of the run.
    child.stdin.on('error', () => {});
    child.stdin.end(request.stdin);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      stdoutTail.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderrTail.push(chunk));

    child.on('error', (error) => {
      if (child.pid === undefined) settle(error);
    });
    child.on('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      clearTimeout(timer);
      void stop().then(() => {
        // A process that left the group (setsid) can hold the pipes open forever; stop listening to it.
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, STREAM_CLOSE_WAIT_MS).unref();
      });
    });
    child.on('close', () => {
      void stop().then(() => settle());
    });
  });
}

/** Keeps the first `limit` bytes and counts the rest. */
class HeadCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private readonly limit: number;
  droppedBytes = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  push(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.droppedBytes += Math.max(0, chunk.length - Math.max(0, room));
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Keeps the last `limit` bytes. */
class TailCapture {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Compact only when well past the limit so a chatty agent costs one copy per `limit` bytes, not per chunk.
    if (this.size > this.limit * 2) {
      const all = Buffer.concat(this.chunks);
      this.chunks = [all.subarray(all.length - this.limit)];
      this.size = this.limit;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}
