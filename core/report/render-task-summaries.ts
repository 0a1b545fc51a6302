import { clip, codeSpan, escapeText } from './escape-markdown.ts';
import type { TaskOutcome } from './report-model.ts';

/**
 * Renders the "Task summaries" section: each task's own account of its work, on one line, cut to
 * `maxChars` characters. Summaries are agent-written, so they are escaped rather than rendered as
 * Markdown. Returns an empty string when no task left a summary.
 */
export function renderTaskSummaries(tasks: readonly TaskOutcome[], maxChars: number): string {
  const entries = tasks
    .filter((t) => t.summary !== undefined && t.summary.trim() !== '')
    .map((t) => `- ${codeSpan(t.id)}: ${escapeText(clip(t.summary ?? '', maxChars))}`);
  if (entries.length === 0) return '';
  return ['## Task summaries', '', ...entries].join('\n');
}
