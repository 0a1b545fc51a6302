import { codeSpan } from './escape-markdown.ts';
import type { OverlapWarning } from './report-model.ts';

/**
 * Renders the "Overlap warnings" section: files that more than one task changed, which git may have
 * merged cleanly but whose changes can still contradict each other, so the reviewer is asked to read
 * them closely. Returns an empty string when there are none.
 */
export function renderOverlapWarnings(overlaps: readonly OverlapWarning[]): string {
  if (overlaps.length === 0) return '';
  const lines = overlaps.map(
    (o) => `- ${codeSpan(o.file)}: changed by ${o.tasks.map((t) => codeSpan(t)).join(', ')}`,
  );
  const intro =
    'These files were changed by more than one task. Git merged them without a conflict, but the changes ' +
    'were made without seeing each other: please review them closely.';
  return ['## Overlap warnings', '', intro, '', ...lines].join('\n');
}
