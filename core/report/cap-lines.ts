import { sanitizeText, sliceSafe } from './escape-markdown.ts';

/** How much of a long text to keep: at most `maxLines` lines and `maxChars` characters. */
export interface LineCap {
  maxLines: number;
  maxChars: number;
}

/** The kept part of a capped text and how many of its lines were left out. */
export interface CappedLines {
  text: string;
  omittedLines: number;
}

// The last `max` UTF-16 units of `line`, never starting inside a surrogate pair.
function sliceTailSafe(line: string, max: number): string {
  const start = Math.max(0, line.length - max);
  const first = line.charCodeAt(start);
  return line.slice(first >= 0xdc00 && first <= 0xdfff ? start + 1 : start);
}

function splitLines(text: string): string[] {
  const body = sanitizeText(text).replace(/\n+$/, '');
  return body === '' ? [] : body.split('\n');
}

// Keeps whole lines from the front of `lines` while they fit; if not even one fits, keeps a clipped one.
function keepFromFront(
  lines: string[],
  cap: LineCap,
  clipLine: (line: string, max: number) => string,
): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = line.length + (kept.length > 0 ? 1 : 0);
    if (kept.length >= cap.maxLines || used + cost > cap.maxChars) break;
    kept.push(line);
    used += cost;
  }
  const first = lines[0];
  if (kept.length === 0 && first !== undefined && cap.maxLines > 0 && cap.maxChars > 1) {
    kept.push(clipLine(first, cap.maxChars - 1));
  }
  return kept;
}

/** Keeps the first lines of `text` within `cap` (a conflict excerpt is read from its top). */
export function capHead(text: string, cap: LineCap): CappedLines {
  const lines = splitLines(text);
  const kept = keepFromFront(lines, cap, (line, max) => `${sliceSafe(line, max)}…`);
  return { text: kept.join('\n'), omittedLines: lines.length - kept.length };
}

/** Keeps the last lines of `text` within `cap` (a command's output is read from its end). */
export function capTail(text: string, cap: LineCap): CappedLines {
  const lines = splitLines(text).reverse();
  const kept = keepFromFront(lines, cap, (line, max) => `…${sliceTailSafe(line, max)}`).reverse();
  return { text: kept.join('\n'), omittedLines: lines.length - kept.length };
}

/** Halves a cap, never below one line and `minChars` characters. */
export function halveCap(cap: LineCap, minChars: number): LineCap {
  return {
    maxLines: Math.max(1, Math.floor(cap.maxLines / 2)),
    maxChars: Math.max(minChars, Math.floor(cap.maxChars / 2)),
  };
}
