/**
 * Fenced code blocks in Markdown, as CommonMark defines them: ``` or ~~~, three or more, indented at most
 * three spaces; closed by a fence of the same character at least as long, or by the end of the text.
 */

/** An opening fence: its character, length and indentation. */
export interface Fence {
  char: '`' | '~';
  length: number;
  indent: number;
  /** The info string after the fence, trimmed, e.g. `yaml cluster`. */
  info: string;
}

/** One fenced block: its info string, the 1-based line of its opening fence and its content. */
export interface FencedBlock {
  info: string;
  line: number;
  content: string;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** The fence this line opens, if it opens one. A backtick fence's info string may not hold a backtick. */
export function openingFence(line: string): Fence | undefined {
  const match = OPENING.exec(line);
  if (!match) return undefined;
  const [, indent = '', run = '', info = ''] = match;
  const char = run[0] === '`' ? '`' : '~';
  if (char === '`' && info.includes('`')) return undefined;
  return { char, length: run.length, indent: indent.length, info: info.trim() };
}

/** Whether this line closes `fence`: same character, at least as long, nothing after but spaces. */
export function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  const run = match?.[1];
  return run !== undefined && run[0] === fence.char && run.length >= fence.length;
}

/** Removes up to `count` leading spaces, as a fence's or list item's indentation is removed from its content. */
export function dedent(line: string, count: number): string {
  let cut = 0;
  while (cut < count && line[cut] === ' ') cut++;
  return line.slice(cut);
}

/**
 * Whether this line starts an HTML comment block that it does not also close. Markdown inside such a
 * comment (an issue template's commented-out example) is not rendered, so it holds no blocks or tasks.
 */
export function opensHtmlComment(line: string): boolean {
  const start = /^ {0,3}<!--/.exec(line);
  return start !== null && !line.includes('-->', start[0].length);
}

/**
 * Every fenced block of the text outside HTML comments, in order. `lines` must already be split on `\n`.
 */
export function findFencedBlocks(lines: readonly string[]): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (opensHtmlComment(lines[index]!)) {
      while (index + 1 < lines.length && !lines[index + 1]!.includes('-->')) index++;
      index++;
      continue;
    }
    const fence = openingFence(lines[index]!);
    if (!fence) continue;
    const start = index;
    const content: string[] = [];
    for (index++; index < lines.length && !closesFence(lines[index]!, fence); index++) {
      content.push(dedent(lines[index]!, fence.indent));
    }
    blocks.push({ info: fence.info, line: start + 1, content: content.join('\n') });
  }
  return blocks;
}
