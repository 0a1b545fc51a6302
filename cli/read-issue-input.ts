import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors/errors.ts';
import { controlCharacterProblem } from '../core/plan/control-characters.ts';

/** An issue given to the CLI as a Markdown file. */
export interface IssueInput {
  title: string;
  body: string;
}

/** Largest issue file accepted: GitHub's own body limit, with room for a title. */
const MAX_ISSUE_BYTES = 256 * 1024;

/**
 * Reads an issue from a Markdown file, or from stdin for `-`. The first `# ` heading (or the first line) is the title;
 * the whole text is the body, where the plan is looked for.
 */
export async function readIssueInput(
  path: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<IssueInput> {
  let text: string;
  try {
    text = path === '-' ? await readStream(stdin) : await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(
      `cannot read the issue file ${path} (${code}); pass --issue with a Markdown file, or - for stdin`,
    );
  }
  if (Buffer.byteLength(text) > MAX_ISSUE_BYTES) {
    throw new InputError(
      `the issue ${path} is larger than ${MAX_ISSUE_BYTES / 1024} KiB; shorten it or split the work into several issues`,
    );
  }
  if (text.trim() === '') throw new InputError(`the issue ${path} is empty; write what should be done in it`);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const heading = lines.find((line) => /^#\s+\S/.test(line));
  const firstLine = lines.find((line) => line.trim() !== '') ?? '';
  const title = (heading ? heading.replace(/^#\s+/, '') : firstLine).trim().slice(0, 200);
  // The title becomes commit messages and the report's heading; git refuses a NUL in a commit message.
  const problem = controlCharacterProblem(`the issue heading ${JSON.stringify(title)}`, title);
  if (problem !== undefined) throw new InputError(`${problem} in ${path}`);
  return { title, body: text };
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
