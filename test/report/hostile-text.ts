import fc from 'fast-check';

/** Characters that mean something to Markdown, HTML, GFM tables or Mermaid, plus invisible ones. */
const SPECIALS = [
  '|',
  '`',
  '\\',
  '\n',
  '\r',
  '<',
  '>',
  '&',
  '"',
  '#',
  ';',
  '%',
  '{',
  '}',
  '[',
  ']',
  ':',
  ' ',
  '\u202e',
  '\u0000',
  '😀',
];

/** Arbitrary text built mostly from characters that could break a report if left unescaped. */
export const hostileText = fc.string({
  unit: fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ maxLength: 1 })),
});
