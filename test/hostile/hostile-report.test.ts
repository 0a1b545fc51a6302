import { describe, expect, it } from 'vitest';
import { renderReport } from '../../core/report/render-report.ts';
import { runReport, taskOutcome } from '../report/build-run-report.ts';

/** Zero-width and direction marks that can hide or reorder what a reviewer reads. */
const MARKS = ['\u200b', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'];
const MARKS_2 = ['\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\u2060', '\u061c'];
const hidden = (text: string) => [...MARKS, ...MARKS_2].map((mark) => `${text}${mark}`).join(' ');

describe('the pull-request body of a run whose texts carry invisible marks', () => {
  it('holds none of the zero-width or direction marks, wherever they were written', () => {
    const conflict = {
      files: [hidden('src/a.ts')],
      touchedBy: { [hidden('src/a.ts')]: ['a', 'b'] },
      excerpt: hidden('<<<<<<< ours'),
      resolution: 'unresolved' as const,
    };
    const body = renderReport(
      runReport(
        [
          taskOutcome({
            id: 'a',
            title: hidden('Title'),
            summary: hidden('Summary\nsecond line'),
            files: [hidden('src/a.ts')],
          }),
          taskOutcome({ id: 'b', title: hidden('B'), state: 'failed', reason: hidden('Reason') }),
          taskOutcome({ id: 'c', title: hidden('C'), state: 'conflicted', conflicts: [conflict] }),
        ],
        {
          title: hidden('Issue'),
          overlaps: [{ file: hidden('src/a.ts'), tasks: ['a', 'c'] }],
          verify: {
            command: hidden('npm test'),
            passed: false,
            exitCode: 1,
            outputTail: hidden('failed'),
            durationMs: 10,
          },
          footer: hidden('Footer'),
        },
      ),
    );
    for (const mark of [...MARKS, ...MARKS_2]) {
      const code = `U+${(mark.codePointAt(0) ?? 0).toString(16).toUpperCase()}`;
      expect(body.includes(mark), `${code} in the body`).toBe(false);
    }
    expect(body).toContain('Title');
  });
});
