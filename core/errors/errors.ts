/**
 * Error classes the entry points map to user-facing messages and exit codes. Branch on the class (or
 * `status` for HTTP errors), never on message text.
 */

/** Bad user input: a plan, config, flag or issue that cannot be used. Nothing was changed. */
export class InputError extends Error {
  override name = 'InputError';
  /** One line per problem, each naming the target and the fix. */
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
    this.problems = problems;
  }
}

/** The environment cannot run the job: missing credentials, executable, git too old, dirty tree. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** A git command failed; carries the command and its stderr so the message names the target. */
export class GitError extends Error {
  override name = 'GitError';
  readonly args: string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: string[], exitCode: number | null, stderr: string, cwd: string) {
    super(
      `git ${args.join(' ')} failed in ${cwd} (exit ${exitCode ?? 'signal'}): ${stderr.trim() || 'no output'}`,
    );
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}
