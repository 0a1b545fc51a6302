import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clip,
  codeSpan,
  escapeText,
  fencedBlock,
  longestBacktickRun,
  sanitizeText,
} from '../../core/report/escape-markdown.ts';

describe('escapeText', () => {
  it('turns HTML into entities so a title cannot open or close a tag', () => {
    expect(escapeText('</details> <script>alert(1)</script> & co')).toBe(
      '&lt;/details&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; co',
    );
  });

  it('escapes pipes, backticks, brackets and backslashes', () => {
    expect(escapeText('a | b `c` [link](x) \\')).toBe('a \\| b \\`c\\` \\[link\\](x) \\\\');
  });

  it('puts multi-line text on one line', () => {
    expect(escapeText('first\r\n\n  second\rthird')).toBe('first second third');
  });

  it('removes bidi overrides and control characters', () => {
    expect(escapeText('safe\u202Eexe.txt\u0007')).toBe('safeexe.txt');
  });
});

describe('sanitizeText', () => {
  it('keeps tabs and newlines', () => {
    expect(sanitizeText('a\tb\r\nc')).toBe('a\tb\nc');
  });
});

describe('codeSpan', () => {
  it('wraps plain text in single backticks', () => {
    expect(codeSpan('src/app.ts')).toBe('`src/app.ts`');
  });

  it('uses a fence longer than any backtick run inside, padded when the text starts with one', () => {
    expect(codeSpan('``a`')).toBe('``` ``a` ```');
  });

  it('escapes pipes only inside a table', () => {
    expect(codeSpan('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(codeSpan('a|b')).toBe('`a|b`');
  });

  it('shows empty text as (none)', () => {
    expect(codeSpan('  ')).toBe('(none)');
  });
});

describe('fencedBlock', () => {
  it('uses three backticks for text without backticks', () => {
    expect(fencedBlock('+ a\n- b\n', 'diff')).toBe('```diff\n+ a\n- b\n```');
  });

  it('uses a fence longer than the longest backtick run, so the text cannot close it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', 'a', '\n', ' ', '~') }), (text) => {
        const block = fencedBlock(text, 'diff');
        const fence = /^(`+)diff\n/.exec(block)?.[1] ?? '';
        expect(fence.length).toBeGreaterThan(longestBacktickRun(text));
        expect(block.endsWith(`\n${fence}`)).toBe(true);
      }),
    );
  });
});

describe('clip', () => {
  it('keeps short text as it is', () => {
    expect(clip('short', 10)).toBe('short');
  });

  it('cuts long text with an ellipsis within the limit', () => {
    expect(clip('abcdefghij', 5)).toBe('abcd…');
  });

  it('never splits a surrogate pair', () => {
    expect(clip('ab😀cd', 4)).toBe('ab…');
  });
});
