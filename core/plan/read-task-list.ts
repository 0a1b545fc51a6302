import { closesFence, dedent, type Fence, openingFence, opensHtmlComment } from './find-fenced-blocks.ts';

/** One top-level Markdown task-list item: `- [ ] text` and the indented lines under it. */
export interface TaskListItem {
  /** The text after the checkbox, trimmed. */
  text: string;
  /** `[x]` or `[X]`: the task is done. */
  checked: boolean;
  /** The text plus its continuation lines (nested prose, sub-lists, code), dedented. */
  body: string;
}

/** A list item's start: indentation, marker and the spaces after it. */
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*))?$/;
const CHECKBOX = /^\[([ xX])\][ \t]+(\S.*)$/;
/** Lines that start a new block, so they cannot lazily continue an item's paragraph. */
const BLOCK_START =
  /^ {0,3}(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}(?:\s|$)|>|`{3}|~{3}|<!--|[-*_](?:\s*[-*_]){2,}\s*$)/;

/** Leading tabs as spaces to the next multiple of four, so indentation can be compared. */
function expandIndent(line: string): string {
  const match = /^[ \t]*/.exec(line)![0];
  let width = 0;
  for (const char of match) width = char === '\t' ? width + 4 - (width % 4) : width + 1;
  return ' '.repeat(width) + line.slice(match.length);
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

interface OpenItem {
  /** Column where the item's content starts; lines indented this far belong to it. */
  column: number;
  /** The task, when the item is a task-list item; other list items only hold their nested lines. */
  task?: { text: string; checked: boolean; lines: string[] };
}

function startItem(line: string): OpenItem | undefined {
  const match = LIST_ITEM.exec(line);
  if (!match) return undefined;
  const [, indent = '', marker = '', spaces = '', content = ''] = match;
  // Five or more spaces after the marker start indented code; the item's content column is then one space in.
  const gap = spaces.length === 0 || spaces.length > 4 ? 1 : spaces.length;
  const column = indent.length + marker.length + gap;
  const checkbox = /^[-*+]$/.test(marker) ? CHECKBOX.exec(content.trimEnd()) : null;
  if (!checkbox) return { column };
  const text = (checkbox[2] ?? '').trim();
  return { column, task: { text, checked: checkbox[1] !== ' ', lines: [] } };
}

/**
 * The top-level task-list items of a Markdown text, in order, checked or not. Items nested in other list
 * items, inside fenced code blocks or inside HTML comments are not top-level tasks; an item's own nested
 * lines (prose, sub-items, code blocks) become part of its body.
 */
export function readTaskList(markdownLines: readonly string[]): TaskListItem[] {
  const items: TaskListItem[] = [];
  let open: OpenItem | undefined;
  let code: { fence: Fence; inItem: boolean } | undefined;
  let inComment = false;
  // Whether the previous line was paragraph text of the open item, which an unindented line may continue.
  let paragraph = false;
  const close = () => {
    if (open?.task) {
      const { text, checked, lines } = open.task;
      items.push({ text, checked, body: [text, ...lines].join('\n').trimEnd() });
    }
    open = undefined;
  };
  for (const rawLine of markdownLines) {
    const line = expandIndent(rawLine);
    if (code) {
      // A fence inside an item is indented by the item's content column; compare without it.
      const own = code.inItem && open ? dedent(line, open.column) : line;
      if (code.inItem) open?.task?.lines.push(own);
      if (closesFence(own, code.fence)) code = undefined;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    if (line.trim() === '') {
      open?.task?.lines.push('');
      paragraph = false;
      continue;
    }
    if (open && (indentOf(line) >= open.column || (paragraph && !BLOCK_START.test(line)))) {
      open.task?.lines.push(dedent(line, open.column));
      const opened = indentOf(line) >= open.column ? openingFence(dedent(line, open.column)) : undefined;
      if (opened) code = { fence: opened, inItem: true };
      paragraph = !opened;
      continue;
    }
    close();
    open = startItem(line);
    paragraph = open !== undefined && line.slice(open.column).trim() !== '';
    if (open) continue;
    const opened = openingFence(line);
    if (opened) code = { fence: opened, inItem: false };
    else if (opensHtmlComment(line)) inComment = true;
  }
  close();
  return items;
}
