import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { EnvironmentError } from '../errors/errors.ts';

/** Words `/bin/sh` runs itself; they need no executable on disk. */
const SHELL_BUILTINS = new Set(
  (
    '. : [ alias bg break cd command continue echo eval exec exit export false fg getopts hash jobs kill ' +
    'local printf pwd read readonly return set shift test times trap true type ulimit umask unalias unset wait ' +
    '! { } case do done elif else esac fi for if in then until while'
  ).split(' '),
);

/**
 * Checks that the program an agent command starts can be run: a path must exist and be executable, a
 * bare name must be a shell builtin or found on `PATH`. Leading `NAME=value` assignments are skipped;
 * a program named through `$VAR` or a backquote cannot be known before the shell runs, so it passes.
 * Throws an `EnvironmentError` naming the program and the fix.
 */
export async function checkCommandExecutable(command: string, env: NodeJS.ProcessEnv): Promise<void> {
  const program = firstProgramWord(command);
  if (program === undefined || SHELL_BUILTINS.has(program) || /[$`*?[]/.test(program)) return;
  const expanded = program.startsWith('~/') && env.HOME ? join(env.HOME, program.slice(2)) : program;
  if (expanded.includes('/')) {
    const full = isAbsolute(expanded) ? expanded : resolve(expanded);
    const problem = await executableProblem(full);
    if (problem === 'missing') {
      throw new EnvironmentError(
        `agent executable \`${program}\` does not exist (looked for ${full}); fix the path in --agent`,
      );
    }
    if (problem === 'not-executable') {
      throw new EnvironmentError(
        `agent executable \`${program}\` (${full}) is not an executable file; run \`chmod +x ${full}\` or fix the path in --agent`,
      );
    }
    return;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if ((await executableProblem(join(dir || '.', expanded))) === undefined) return;
  }
  throw new EnvironmentError(
    `agent command \`${program}\` was not found on PATH; install it or give its full path in --agent`,
  );
}

async function executableProblem(path: string): Promise<'missing' | 'not-executable' | undefined> {
  try {
    if (!(await stat(path)).isFile()) return 'not-executable';
  } catch {
    return 'missing';
  }
  try {
    await access(path, constants.X_OK);
    return undefined;
  } catch {
    return 'not-executable';
  }
}

/** The first word of the command after `NAME=value` assignments, with shell quoting removed. */
function firstProgramWord(command: string): string | undefined {
  let rest = command;
  for (;;) {
    const parsed = readShellWord(rest);
    if (parsed === undefined) return undefined;
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(parsed.word)) return parsed.word;
    rest = parsed.rest;
  }
}

/** Reads one word, honouring single quotes, double quotes and backslashes; stops at blanks and operators. */
function readShellWord(text: string): { word: string; rest: string } | undefined {
  let index = text.length - text.trimStart().length;
  let word = '';
  let quote: "'" | '"' | undefined;
  for (; index < text.length; index++) {
    const char = text[index]!;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < text.length) word += text[++index];
      else word += char;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '\\' && index + 1 < text.length) word += text[++index];
    else if (/[\s;&|<>()]/.test(char)) break;
    else word += char;
  }
  return word === '' ? undefined : { word, rest: text.slice(index) };
}
