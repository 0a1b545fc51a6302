import { spawn } from 'node:child_process';
import { GitError } from '../errors/errors.ts';
import { appendConfigEnv, forcedConfigArgs, gitEnvironment } from './git-environment.ts';
import { untrustedConfigOverrides } from './untrusted-config-overrides.ts';

/** Options of one git invocation. */
export interface GitOptions {
  /** Directory to run in (a repository or one of its worktrees). */
  cwd: string;
  /**
   * Extra environment (identity, an index file, a credential). Only these and a few harmless variables of the
   * process environment reach git: see `gitEnvironment`.
   */
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
 * Plumbing that reads and writes only objects and refs, never the index or a work tree, so it never starts a program
 * the configuration names (no filter, merge or diff driver, no credential helper or ssh; signing and hooks are forced
 * off for every call) and needs no listing of the config first. (`write-tree` is not one: it may re-hash racily clean
 * index entries through a clean filter.) Listing costs a
 * second git process per call, which the engine's hot paths (reading refs and objects, writing commits and refs)
 * would otherwise pay thousands of times per run. Anything not listed here is disarmed first.
 */
const RUNS_NO_CONFIGURED_COMMAND: ReadonlySet<string> = new Set([
  'config',
  'rev-parse',
  'rev-list',
  'merge-base',
  'for-each-ref',
  'show-ref',
  'symbolic-ref',
  'update-ref',
  'cat-file',
  'ls-tree',
  'mktree',
  'commit-tree',
]);

/**
 * Runs `git` with arguments (never through a shell) and returns its output; throws `GitError`, which names the
 * command, directory and stderr, when it exits with a code not listed in `okExitCodes`.
 *
 * The repository is not trusted: an agent could have written its config, hooks and attributes. So git runs with a
 * minimal environment (no token or key of the engine's), hooks, fsmonitor, credential helpers and signing off, and
 * every filter, merge and diff driver found in the config (any scope) disarmed; see `git-environment.ts` and
 * `untrusted-config-overrides.ts`.
 */
export async function runGit(args: string[], options: GitOptions): Promise<GitResult> {
  let env = gitEnvironment(process.env, options.env);
  if (!RUNS_NO_CONFIGURED_COMMAND.has(args[0] ?? '')) {
    const listed = await spawnGit(['config', '--list', '--name-only', '-z'], options.cwd, env, '');
    // Fail closed: config git cannot list is config whose drivers could not be disarmed. (A directory that cannot be
    // entered fails to spawn instead; the command itself then reports that.)
    if (listed.spawnError === undefined && listed.exitCode !== 0) {
      throw new GitError(['config', '--list'], listed.exitCode, listed.stderr, options.cwd);
    }
    const keys = listed.stdout.split('\0').filter(Boolean);
    env = appendConfigEnv(env, untrustedConfigOverrides(keys));
  }
  const result = await spawnGit(args, options.cwd, env, options.input ?? '');
  if (result.spawnError !== undefined) throw new GitError(args, null, result.spawnError, options.cwd);
  const { exitCode } = result;
  if (exitCode === 0 || options.okExitCodes?.includes(exitCode)) {
    return { stdout: result.stdout, stderr: result.stderr, exitCode };
  }
  throw new GitError(args, exitCode === -1 ? null : exitCode, result.stderr || result.stdout, options.cwd);
}

/** Runs git with the forced config and returns what it printed; never throws. */
function spawnGit(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input: string,
): Promise<GitResult & { spawnError?: string }> {
  return new Promise((resolve) => {
    const child = spawn('git', [...forcedConfigArgs(), ...args], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) =>
      resolve({ stdout: '', stderr: '', exitCode: -1, spawnError: error.message }),
    );
    child.on('close', (code) => {
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? -1,
      });
    });
    child.stdin.on('error', () => {
      // git may exit before reading stdin; its exit code tells what happened.
    });
    child.stdin.end(input);
  });
}

/** Runs git and returns its stdout without the trailing newline. */
export async function git(args: string[], options: GitOptions): Promise<string> {
  const { stdout } = await runGit(args, options);
  return stdout.replace(/\n$/, '');
}
