import { capTail, type LineCap } from './cap-lines.ts';
import { codeSpan, fencedBlock } from './escape-markdown.ts';
import { countOf, formatDuration } from './format-values.ts';
import type { VerifyResult } from './report-model.ts';

/** Default cap of the output tail shown under the verify result. */
export const DEFAULT_VERIFY_TAIL_CAP: LineCap = { maxLines: 40, maxChars: 4000 };

/**
 * Renders the "Verify" section: whether the verify command passed on the integration branch, the
 * command, its exit, and the last lines of its output in a fence (capped, or `'omitted'`).
 */
export function renderVerifyResult(verify: VerifyResult, tail: LineCap | 'omitted'): string {
  const exit = verify.exitCode === null ? 'was stopped by a signal' : `exited with code ${verify.exitCode}`;
  const verdict = verify.passed ? '**Passed:**' : '**Failed:**';
  const lines = [
    '## Verify',
    '',
    `${verdict} ${codeSpan(verify.command)} ${exit} after ${formatDuration(verify.durationMs)}.`,
  ];
  if (verify.outputTail.trim() === '') return lines.join('\n');
  if (tail === 'omitted') {
    lines.push('', '_Output omitted to fit the length limit._');
    return lines.join('\n');
  }
  const { text, omittedLines } = capTail(verify.outputTail, tail);
  if (omittedLines > 0)
    lines.push('', `_Last lines of the output; ${countOf(omittedLines, 'earlier line')} not shown._`);
  lines.push('', fencedBlock(text, 'text'));
  return lines.join('\n');
}
