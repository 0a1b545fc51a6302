import { spawn } from 'node:child_process';
import { GitError } from '../errors/errors.ts';

/** Options of one git invocation. */
export interface GitOptions {
  /** Directory to run in (a repository or one of its worktrees). */
  cwd: string;
  /** Extra environment, merged over the process environment. */
  env?: NodeJS.ProcessEnv;
  /** Text written to git's stdin. */
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 from `merge-tree` on conflict). */
  okExitCodes?: number[];
}

/** What a git invocation printed and how it exited. */
export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs `git` with arguments (never through a shell) and returns its output; throws `GitError`, which names the
 * command, directory and stderr, when it exits with a code not listed in `okExitCodes`.
 */
export function runGit(args: string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    // No automatic gc or maintenance in the middle of a run: it would race the run's own writes and stall it.
    const child = spawn('git', ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false', ...args], {
      cwd: options.cwd,
      // Prompts would hang a headless run; locale fixed so nothing depends on translated output.
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(args, null, error.message, options.cwd)));
    child.on('close', (code) => {
      const result = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? -1,
      };
      if (code === 0 || (code !== null && options.okExitCodes?.includes(code))) resolve(result);
      else reject(new GitError(args, code, result.stderr || result.stdout, options.cwd));
    });
    child.stdin.on('error', () => {
      // git may exit before reading stdin; its exit code tells what happened.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns its stdout without the trailing newline. */
export async function git(args: string[], options: GitOptions): Promise<string> {
  const { stdout } = await runGit(args, options);
  return stdout.replace(/\n$/, '');
}
