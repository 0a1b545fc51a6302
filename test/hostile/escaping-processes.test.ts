import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProcessGroup } from '../../core/agent/run-process-group.ts';
import { isRunning, killAll } from './hostile-scripts.ts';

let dir: string;
const started: number[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cluster-escape-'));
});
afterEach(() => {
  killAll(started.splice(0));
  rmSync(dir, { recursive: true, force: true });
});

async function waitForFile(path: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(path) || readFileSync(path, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error(`${path} never appeared`);
    await new Promise((done) => setTimeout(done, 20));
  }
  return Number(readFileSync(path, 'utf8').trim());
}

describe('an agent process group stopped by an abort', () => {
  it('takes the daemons that left the group with it', async () => {
    const pidFile = join(dir, 'daemon.pid');
    const controller = new AbortController();
    const outcome = runProcessGroup({
      command: `setsid sleep 303 >/dev/null 2>&1 & echo $! > "${pidFile}"; sleep 300`,
      cwd: dir,
      env: { PATH: process.env.PATH },
      stdin: '',
      outputLimit: 1024,
      signal: controller.signal,
      killGraceMs: 500,
    });
    const daemon = await waitForFile(pidFile);
    started.push(daemon);
    expect(isRunning(daemon)).toBe(true);
    controller.abort();
    expect((await outcome).aborted).toBe(true);
    expect(isRunning(daemon)).toBe(false);
  });

  it('leaves alone a process that started before the agent in the same directory', async () => {
    const pidFile = join(dir, 'older.pid');
    const older = spawn('sleep', ['304'], { cwd: dir, detached: true, stdio: 'ignore' });
    started.push(older.pid!);
    // Start times count in clock ticks (10 ms): the agent must start in a later tick than the older process.
    await new Promise((done) => setTimeout(done, 50));
    const outcome = await runProcessGroup({
      command: `echo started > "${pidFile}"`,
      cwd: dir,
      env: { PATH: process.env.PATH },
      stdin: '',
      outputLimit: 1024,
    });
    expect(outcome.exitCode).toBe(0);
    expect(isRunning(older.pid!)).toBe(true);
  });
});
