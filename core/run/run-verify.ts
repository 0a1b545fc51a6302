import { join } from 'node:path';
import { runProcessGroup } from '../agent/run-process-group.ts';
import type { WorktreeSet } from '../git/worktrees.ts';
import type { VerifyResult } from '../report/report-model.ts';

/** Characters of the verify output kept for the report. */
const OUTPUT_TAIL_CHARS = 6000;

/**
 * Runs the repository's `verify` command (e.g. `npm test`) on the integration branch as it stands after the last
 * merge, in its own worktree and process group, stopped after `timeoutMs`.
 */
export async function runVerify(options: {
  worktrees: WorktreeSet;
  workDir: string;
  commit: string;
  command: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The command's environment; the process's own by default (CI jobs pass one without tokens). */
  env?: NodeJS.ProcessEnv;
}): Promise<VerifyResult> {
  const dir = join(options.workDir, 'verify');
  await options.worktrees.addDetached(dir, options.commit);
  try {
    const outcome = await runProcessGroup({
      // Interleaved output reads as it would in a terminal.
      command: `exec 2>&1\n${options.command}`,
      cwd: dir,
      env: { ...(options.env ?? process.env), CI: (options.env ?? process.env).CI ?? 'true' },
      stdin: '',
      outputLimit: 0,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    const tail = outcome.stdoutTail.slice(-OUTPUT_TAIL_CHARS);
    const note = outcome.timedOut
      ? `\n(stopped after ${Math.round(options.timeoutMs / 1000)} s)`
      : outcome.spawnError
        ? `\n(could not start: ${outcome.spawnError.message})`
        : '';
    return {
      command: options.command,
      passed: outcome.exitCode === 0 && !outcome.timedOut && !outcome.aborted,
      exitCode: outcome.exitCode,
      outputTail: `${tail}${note}`.trim(),
      durationMs: outcome.durationMs,
    };
  } finally {
    await options.worktrees.remove(dir);
  }
}
