/** One Dockerfile instruction: its keyword in upper case, and its arguments with line continuations joined. */
export interface DockerInstruction {
  keyword: string;
  args: string;
  /** Index of the build stage (0 for the first `FROM`). */
  stage: number;
}

/**
 * Splits a Dockerfile into instructions: comment lines dropped, lines ending in `\` joined with the next, the
 * keyword upper-cased. Enough for static checks; it does not expand variables or parse heredocs.
 */
export function parseDockerfile(text: string): DockerInstruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending !== '') logical.push(pending.trim());
  let stage = -1;
  return logical
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      if (keyword.toUpperCase() === 'FROM') stage += 1;
      return { keyword: keyword.toUpperCase(), args: rest.join(' '), stage };
    });
}

/** `KEY=value` pairs of an `ENV` or `ARG` instruction (the legacy `ENV KEY value` form as one pair). */
export function declaredNames(instruction: DockerInstruction): string[] {
  if (!instruction.args.includes('=')) return [instruction.args.split(/\s+/)[0] ?? ''];
  return [...instruction.args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((match) => match[1] ?? '');
}
