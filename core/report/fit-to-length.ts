import { InputError } from '../errors/errors.ts';
import { sliceSafe } from './escape-markdown.ts';

/** GitHub's limit on a pull-request or comment body, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;

/** A rendering split into the part that may be cut and a footer that is kept whenever it fits. */
export interface RenderedParts {
  body: string;
  footer?: string;
}

/** Refuses a length limit that is not a positive whole number. */
export function checkMaxLength(maxLength: number): void {
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new InputError(`maxLength must be a positive whole number of characters, got ${maxLength}`, [
      `pass a limit such as ${GITHUB_BODY_LIMIT} (GitHub's body limit), or leave it out to use that default`,
    ]);
  }
}

function join(parts: RenderedParts): string {
  return parts.footer ? `${parts.body}\n\n${parts.footer}` : parts.body;
}

// Start offset of a fenced code block that is still open at the end of `text`, if any.
function openFenceStart(text: string): number | undefined {
  let open: { char: string; length: number; start: number } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (match?.[1] !== undefined) {
      const fence = match[1];
      const char = fence.charAt(0);
      if (open === undefined) open = { char, length: fence.length, start: offset };
      else if (char === open.char && fence.length >= open.length && match[2]?.trim() === '') open = undefined;
    }
    offset += line.length + 1;
  }
  return open?.start;
}

/**
 * Cuts Markdown to at most `budget` characters at a line boundary, dropping a fenced block that the cut
 * would leave open so the rest of the page is not swallowed into code.
 */
export function cutMarkdown(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = text.lastIndexOf('\n', budget);
  if (cut < 0) return '';
  let kept = text.slice(0, cut);
  const fence = openFenceStart(kept);
  if (fence !== undefined) kept = kept.slice(0, fence);
  return kept.trimEnd();
}

/**
 * Renders the most detailed of `levels` (ordered from most to least detailed) that fits in
 * `maxLength` characters. Finding it takes O(log levels) renderings: a binary search over the levels,
 * whose lengths shrink from one to the next. When even the last level is too long, its body is cut at a
 * line boundary and `truncationNote` is added as the final line; the footer is kept when room allows,
 * and the result never exceeds `maxLength`.
 */
export function fitToLength<Level>(
  levels: readonly Level[],
  render: (level: Level) => RenderedParts,
  maxLength: number,
  truncationNote: string,
): string {
  checkMaxLength(maxLength);
  if (levels.length === 0) throw new Error('fitToLength needs at least one level to render');
  const rendered = new Map<number, RenderedParts>();
  const at = (index: number): RenderedParts => {
    let parts = rendered.get(index);
    if (parts === undefined) {
      parts = render(levels[index] as Level);
      rendered.set(index, parts);
    }
    return parts;
  };
  const fits = (index: number): boolean => join(at(index)).length <= maxLength;

  const last = levels.length - 1;
  if (fits(last)) {
    // Invariant: `best` fits; the first fitting level lies in [low, best].
    let best = last;
    let low = 0;
    while (low < best) {
      const mid = Math.floor((low + best) / 2);
      if (fits(mid)) best = mid;
      else low = mid + 1;
    }
    return join(at(best));
  }

  const minimal = at(last);
  const footer = minimal.footer ? `\n\n${minimal.footer}` : '';
  const note = `\n\n${truncationNote}`;
  for (const tail of [`${footer}${note}`, note]) {
    const budget = maxLength - tail.length;
    if (budget >= 0) return `${cutMarkdown(minimal.body, budget)}${tail}`.trimStart();
  }
  return sliceSafe(truncationNote, maxLength);
}
