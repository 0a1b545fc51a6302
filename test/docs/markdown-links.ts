/** A link in a Markdown page: its target path (relative to the page, may be empty) and its `#fragment`, if any. */
export interface MarkdownLink {
  text: string;
  path: string;
  fragment?: string;
}

/**
 * The inline links (`[text](target)`) of a Markdown page that point into the repository: web and mail links are left
 * out, and so is anything inside fenced code blocks or code spans.
 */
export function relativeLinks(markdown: string): MarkdownLink[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const links: MarkdownLink[] = [];
  for (const match of prose.matchAll(/\[([^\]]*)\]\(([^)\s]+)\)/g)) {
    const [, text = '', target = ''] = match;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const hash = target.indexOf('#');
    links.push(
      hash === -1
        ? { text, path: target }
        : { text, path: target.slice(0, hash), fragment: target.slice(hash + 1) },
    );
  }
  return links;
}

/**
 * The anchors GitHub gives a page's headings: lower case, punctuation other than `-` and `_` removed, spaces as `-`;
 * a repeated heading gets `-1`, `-2`, … Headings inside fenced code blocks do not count.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = (match[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
