import { InputError } from '../errors/errors.ts';

/** The only remote a run may push to: the repository the job checked out. */
export const PUSH_REMOTE = 'origin';

/** Where a push would go. */
export interface PushTarget {
  /** Remote name as given to `git push`. */
  remote: string;
  /** Branch name without `refs/heads/`. */
  branch: string;
  /** The run's branch prefix, ending with `/` (e.g. `cluster/42/`); every push must land under it. */
  allowedPrefix: string;
}

/**
 * Throws an `InputError` unless the push goes to `origin` and to a branch under `allowedPrefix` whose name git
 * accepts (the rules of `git check-ref-format --branch`, a little stricter: printable ASCII only and no
 * component starting with `-`). Every push of the action goes through here, so a hostile task id, run id or
 * agent output can never move a branch outside the run.
 */
export function assertPushTarget({ remote, branch, allowedPrefix }: PushTarget): void {
  if (!allowedPrefix.endsWith('/') || refNameProblems(allowedPrefix.slice(0, -1)).length > 0) {
    throw new InputError(`the push prefix \`${printable(allowedPrefix)}\` cannot guard pushes`, [
      'give a valid branch directory ending with `/`, e.g. `cluster/42/`',
    ]);
  }
  const problems: string[] = [];
  if (remote !== PUSH_REMOTE) {
    problems.push(
      `remote \`${printable(remote)}\` is not allowed; the action pushes only to \`${PUSH_REMOTE}\``,
    );
  }
  if (!branch.startsWith(allowedPrefix) || branch.length === allowedPrefix.length) {
    problems.push(
      `branch \`${printable(branch)}\` is outside this run; only branches under \`${allowedPrefix}\` may be pushed`,
    );
  }
  problems.push(...refNameProblems(branch).map((problem) => `branch \`${printable(branch)}\` ${problem}`));
  if (problems.length > 0) throw new InputError('refusing to push', problems);
}

/** Why git would refuse `name` as a branch name; empty when it is valid. */
export function refNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name === '') return ['is empty; give a branch name'];
  // Control characters, space and the characters git reserves for revision syntax; non-ASCII is refused too
  // because look-alike characters would let a name pass review while naming another branch.
  if (/[^\x21-\x7e]/.test(name)) {
    problems.push('contains a space, a control character or a non-ASCII character; use printable ASCII only');
  }
  if (/[~^:?*[\\]/.test(name)) problems.push('contains one of ~ ^ : ? * [ \\, which git reserves; remove it');
  if (name.includes('..')) problems.push('contains `..`; git refuses it');
  if (name.includes('@{')) problems.push('contains `@{`; git reads it as a reflog expression');
  if (name === '@') problems.push('is `@`, which git reads as HEAD');
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    problems.push('has an empty path component (leading, trailing or double `/`); remove it');
  }
  if (name.endsWith('.')) problems.push('ends with `.`; git refuses it');
  const components = name.split('/');
  if (components.some((part) => part.startsWith('.'))) {
    problems.push('has a component starting with `.`; git refuses it');
  }
  if (components.some((part) => part.endsWith('.lock'))) {
    problems.push('has a component ending with `.lock`; git refuses it');
  }
  // A leading `-` would read as an option to git; refused in every component, not only the first.
  if (components.some((part) => part.startsWith('-')))
    problems.push('has a component starting with `-`; rename it');
  return problems;
}

/** The name with control and non-ASCII characters escaped, so an error message shows what was really given. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/gu, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}
