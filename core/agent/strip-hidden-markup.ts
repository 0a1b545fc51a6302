/** Elements whose content never shows on a rendered issue page, or that carry active content. */
const HIDDEN_ELEMENTS = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'head',
  'title',
  'meta',
  'link',
]);
/** Elements without a closing tag. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const HIDING_ATTRIBUTE =
  /(?:^|\s)(?:hidden(?=[\s=/]|$)|aria-hidden\s*=\s*["']?true)|display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|(?:font-size|opacity|width|height|max-height)\s*:\s*0+(?:\.0+)?(?:px|em|rem|pt|%)?\s*(?:[;"'!]|$)/i;

const CODE_SPAN = String.raw`(\`+)(?!\`)[\s\S]*?(?<!\`)\1(?!\`)`;
const ATTRIBUTE = String.raw`\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>\`]+))?`;
const TAG = String.raw`<(/?)([A-Za-z][A-Za-z0-9-]*)((?:${ATTRIBUTE})*)\s*(/?)>`;
/** Code spans and tags, leftmost first, as CommonMark decides which of the two a backquote or `<` starts. */
const INLINE_TOKEN = new RegExp(`${CODE_SPAN}|${TAG}`, 'g');
const FENCE_OPEN = /^ {0,3}(`{3,}(?!.*`)|~{3,})/;

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'tag'; text: string; closing: boolean; name: string; attributes: string; selfClosing: boolean };

/**
 * Removes what a rendered GitHub page hides from its readers but an agent reading the source would see:
 * hidden or invisible HTML elements with their content, every HTML attribute but a link's `href` (alt
 * and title texts), `<img>` tags, image alt texts, link titles and `[label]: #` comment lines. Fenced
 * code blocks and code spans render literally, so they are kept as they are. HTML comments must already
 * be gone (they can hide code fences).
 */
export function stripHiddenMarkup(markdown: string): string {
  return splitFencedCode(markdown)
    .map((part) => (part.code ? part.text : stripProse(part.text)))
    .join('');
}

/** Splits text into fenced code blocks (kept whole, fences included) and the prose around them. */
function splitFencedCode(markdown: string): { code: boolean; text: string }[] {
  const parts: { code: boolean; text: string }[] = [];
  const lines = markdown.split(/(?<=\n)/);
  let prose = '';
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const open = FENCE_OPEN.exec(line);
    if (open === null) {
      prose += line;
      index++;
      continue;
    }
    const fence = open[1]!;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*\\r?\\n?$`);
    let end = index + 1;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    if (prose !== '') parts.push({ code: false, text: prose });
    prose = '';
    parts.push({ code: true, text: lines.slice(index, end + 1).join('') });
    index = end + 1;
  }
  if (prose !== '') parts.push({ code: false, text: prose });
  return parts;
}

function stripProse(prose: string): string {
  const tokens = tokenize(prose);
  let out = '';
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind === 'code') out += token.text;
    else if (token.kind === 'text') out += stripMarkdownHiddenText(token.text);
    else if (!token.closing && isHiddenElement(token.name, token.attributes)) {
      index = skipElement(tokens, index);
    } else out += bareTag(token);
  }
  return out.replace(/\n{3,}/g, '\n\n');
}

function tokenize(prose: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of prose.matchAll(INLINE_TOKEN)) {
    if (match.index > last) tokens.push({ kind: 'text', text: prose.slice(last, match.index) });
    last = match.index + match[0].length;
    if (match[1] !== undefined) tokens.push({ kind: 'code', text: match[0] });
    else {
      tokens.push({
        kind: 'tag',
        text: match[0],
        closing: match[2] === '/',
        name: match[3]!.toLowerCase(),
        attributes: match[4] ?? '',
        selfClosing: match[5] === '/',
      });
    }
  }
  if (last < prose.length) tokens.push({ kind: 'text', text: prose.slice(last) });
  return tokens;
}

function isHiddenElement(name: string, attributes: string): boolean {
  return HIDDEN_ELEMENTS.has(name) || HIDING_ATTRIBUTE.test(attributes);
}

/** Index of the last token of the element opened at `start` (its closing tag, or the end of the prose). */
function skipElement(tokens: Token[], start: number): number {
  const open = tokens[start]!;
  if (open.kind !== 'tag' || open.selfClosing || VOID_ELEMENTS.has(open.name)) return start;
  let depth = 0;
  for (let index = start; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind !== 'tag' || token.name !== open.name || token.selfClosing) continue;
    depth += token.closing ? -1 : 1;
    if (depth === 0) return index;
  }
  // Never closed: the browser hides everything after it, so the agent must not see it either.
  return tokens.length - 1;
}

/** The tag without attributes (a link keeps its `href`); images become a plain marker. */
function bareTag(tag: Extract<Token, { kind: 'tag' }>): string {
  if (tag.name === 'img') return tag.closing ? '' : '[image]';
  if (tag.name === 'a' && !tag.closing) {
    const href = /\shref\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)/i.exec(tag.attributes)?.[1];
    return href === undefined ? '<a>' : `<a href=${href}>`;
  }
  return `<${tag.closing ? '/' : ''}${tag.name}${tag.selfClosing ? ' /' : ''}>`;
}

/** Markdown's own hidden text: image alt texts, link titles, and reference definitions used as comments. */
function stripMarkdownHiddenText(text: string): string {
  return text
    .replace(/^ {0,3}\[[^\]\n]+\]:[ \t]*(?:#|<>)(?:[ \t].*)?$\n?/gm, '')
    .replace(/^( {0,3}\[[^\]\n]+\]:[ \t]*\S+)[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\))[ \t]*$/gm, '$1')
    .replace(/!\[(?:[^\][]|\[[^\][]*\])*\](?=[([])/g, '![]')
    .replace(/(\]\([^)\s]*)\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\)/g, '$1)');
}
