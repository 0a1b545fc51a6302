import { describe, expect, it } from 'vitest';
import { cutMarkdown, fitToLength } from '../../core/report/fit-to-length.ts';

describe('fitToLength', () => {
  const levels = Array.from({ length: 1000 }, (_, i) => 1000 - i);

  it('returns the most detailed level that fits', () => {
    expect(fitToLength(levels, (n) => ({ body: 'x'.repeat(n) }), 250, 'cut').length).toBe(250);
  });

  it('renders O(log n) levels, not every one', () => {
    let renders = 0;
    fitToLength(
      levels,
      (n) => {
        renders += 1;
        return { body: 'x'.repeat(n) };
      },
      617,
      'cut',
    );
    expect(renders).toBeLessThanOrEqual(12);
  });

  describe('when even the last level is too long', () => {
    const body = ['line one', '```diff', '+ a', '+ b', '```', 'line six'].join('\n');

    it('cuts the body at a line, keeps the footer and ends with the note', () => {
      expect(fitToLength([0], () => ({ body, footer: 'Closes #1' }), 30, '_cut_')).toBe(
        'line one\n\nCloses #1\n\n_cut_',
      );
    });

    it('drops the footer when only the note fits', () => {
      expect(fitToLength([0], () => ({ body, footer: 'Closes #1' }), 8, '_cut_')).toBe('_cut_');
    });

    it('cuts the note itself when nothing else fits', () => {
      expect(fitToLength([0], () => ({ body }), 3, '_cut_')).toBe('_cu');
    });
  });
});

describe('cutMarkdown', () => {
  it('keeps text that fits', () => {
    expect(cutMarkdown('a\nb', 3)).toBe('a\nb');
  });

  it('drops a fenced block the cut would leave open', () => {
    expect(cutMarkdown('intro\n````md\n```\ninside\n````\nafter', 25)).toBe('intro');
  });

  it('keeps a fenced block that closed before the cut', () => {
    expect(cutMarkdown('intro\n```\ncode\n```\nafter that', 20)).toBe('intro\n```\ncode\n```');
  });
});
