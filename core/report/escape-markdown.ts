/**
 * Escaping for text that agents and users wrote (titles, summaries, reasons, file and branch names).
 * Such text must never open a tag, a link, a table cell, a code span or a block in the rendered body.
 */

// Control characters other than tab and newline, the bidi embeddings, overrides and isolates of "Trojan Source"
// attacks, the direction marks (LRM, RLM, ALM), and the zero-width space, word joiner and byte-order mark can hide or
// reorder what a reviewer sees; they never carry meaning in a report. Zero-width (non-)joiners are kept: emoji
// sequences and several scripts need them.
const INVISIBLE = /(?![\t\n])[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

/** Removes invisible and reordering characters and turns `\r\n` and lone `\r` into `\n`. */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

/** Collapses every run of whitespace, newlines included, into one space and trims the ends. */
export function oneLine(text: string): string {
  return sanitizeText(text).replace(/\s+/g, ' ').trim();
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Renders untrusted text as one line of literal Markdown prose, safe inside a table cell: HTML
 * characters become entities, and backslashes, backticks, pipes and brackets are backslash-escaped.
 * Emphasis marks (`*`, `_`, `~`) are left alone: they cannot reach past the line or cell, and escaping
 * them would clutter every `snake_case` name in a terminal.
 */
export function escapeText(text: string): string {
  return oneLine(text)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(/[\\`|[\]]/g, (c) => `\\${c}`);
}

/** Length of the longest run of backticks in `text` (0 when there is none). */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * Renders untrusted text as an inline code span on one line, with a fence longer than any backtick run
 * inside. In a table cell (`inTable`), pipes are escaped too: GFM splits cells before it parses code spans.
 */
export function codeSpan(text: string, options: { inTable?: boolean } = {}): string {
  let content = oneLine(text);
  if (content === '') return '(none)';
  if (options.inTable) content = content.replaceAll('|', '\\|');
  const fence = '`'.repeat(longestBacktickRun(content) + 1);
  // CommonMark strips one space from each end, so padding keeps edge backticks and spaces intact.
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * Renders text as a fenced code block whose fence is longer than any backtick run inside, so the text
 * cannot close the block early. `language` is the info string (`diff`, `text`, `mermaid`).
 */
export function fencedBlock(text: string, language: string): string {
  const body = sanitizeText(text).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

/**
 * Cuts `text` to at most `maxLength` UTF-16 units without splitting a surrogate pair, so the result is
 * always valid Unicode.
 */
export function sliceSafe(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const end = Math.max(0, maxLength);
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/** Shortens untrusted text to `maxChars` characters on one line, ending in `…` when it was cut. */
export function clip(text: string, maxChars: number): string {
  const line = oneLine(text);
  return line.length <= maxChars ? line : `${sliceSafe(line, Math.max(0, maxChars - 1))}…`;
}

/**
 * Markdown link to an https URL, encoded so it can end neither the link nor a table cell early; '' for anything
 * else (other schemes are never linked: untrusted URLs cannot become `javascript:` links).
 */
export function httpsLink(text: string, url: string | undefined): string {
  if (url === undefined) return '';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '';
  }
  if (parsed.protocol !== 'https:') return '';
  const href = parsed.href.replace(/[()|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${text}](${href})`;
}
