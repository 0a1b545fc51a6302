import { runGit } from '../../core/git/run-git.ts';

/**
 * Writes one commit holding `files` (on top of `parent`, when given) and points `ref` at it, with a single
 * `git fast-import` (much cheaper than a scratch clone). The ref is moved even when the move is not a fast-forward.
 * Returns the commit's sha.
 */
export async function importCommit(
  bare: string,
  input: { ref: string; parent?: string; files: Record<string, string>; message: string; author: string },
): Promise<string> {
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const who = `${input.author} <${input.author.replace(/\W+/g, '-')}@users.noreply.github.com> now`;
  const stream = [
    `commit ${input.ref}\n`,
    'mark :1\n',
    `author ${who}\n`,
    `committer ${who}\n`,
    data(input.message),
    ...(input.parent === undefined ? [] : [`from ${input.parent}\n`]),
    ...Object.entries(input.files).map(([path, text]) => `M 100644 inline ${path}\n${data(text)}`),
    'get-mark :1\n',
  ].join('');
  const result = await runGit(['fast-import', '--quiet', '--force', '--date-format=now', '--cat-blob-fd=1'], {
    cwd: bare,
    input: stream,
  });
  return result.stdout.trim();
}
