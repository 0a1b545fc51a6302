import { spawn } from 'node:child_process';

/** How long a cancelled step gets between SIGINT and SIGKILL (GitHub's runner waits 7.5 s; tests need less). */
export const CANCEL_GRACE_MS = 2_000;

/**
 * Runs one step's process in its own process group, appending its output to `log`. On abort the whole group gets
 * SIGINT, then SIGKILL after a grace period, as the runner does when a run is cancelled. Resolves with the exit code
 * (null when killed by a signal).
 */
export function spawnStep(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal; log: (text: string) => void },
): Promise<number | null> {
  return new Promise((resolve) => {
    if (options.signal.aborted) {
      resolve(null);
      return;
    }
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group already exited.
      }
    };
    const onAbort = () => {
      kill('SIGINT');
      killTimer = setTimeout(() => kill('SIGKILL'), CANCEL_GRACE_MS);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => options.log(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => options.log(chunk.toString()));
    child.on('error', (error) => options.log(`cannot start ${command}: ${error.message}\n`));
    child.on('close', (code) => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      resolve(code);
    });
  });
}
