import { clip, codeSpan, escapeText } from './escape-markdown.ts';
import type { TaskOutcome } from './report-model.ts';

/** Longest reason shown per task; the full text is in the task's job log or ledger. */
const REASON_CHARS = 600;

// A skipped task with no recorded reason is explained by the dependencies that did not make it.
function skipReason(task: TaskOutcome, byId: ReadonlyMap<string, TaskOutcome>): string {
  const blocking = task.dependsOn
    .map((id) => ({ id, state: byId.get(id)?.state }))
    .filter((d) => d.state !== 'integrated' && d.state !== 'resolved');
  if (blocking.length === 0) return 'no reason was recorded';
  const names = blocking.map((d) => `${codeSpan(d.id)} (${d.state ?? 'not in this run'})`);
  return `it depends on ${names.join(', ')}`;
}

/**
 * Renders the "Failed and skipped tasks" section: each failed or skipped task with its reason and a
 * hint line with the command that retries it. Returns an empty string when no task failed or was skipped.
 */
export function renderFailedTasks(tasks: readonly TaskOutcome[]): string {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const entries = tasks
    .filter((t) => t.state === 'failed' || t.state === 'skipped')
    .map((task) => {
      const reason =
        task.reason !== undefined && task.reason.trim() !== ''
          ? escapeText(clip(task.reason, REASON_CHARS))
          : task.state === 'skipped'
            ? skipReason(task, byId)
            : 'no reason was recorded';
      return [
        `- ${codeSpan(task.id)} ${escapeText(clip(task.title, 120))}: **${task.state}**: ${reason}`,
        `  - Retry with ${codeSpan(`/cluster retry ${task.id}`)}`,
      ].join('\n');
    });
  if (entries.length === 0) return '';
  return ['## Failed and skipped tasks', '', ...entries].join('\n');
}
