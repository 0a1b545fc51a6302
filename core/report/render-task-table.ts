import { clip, codeSpan, escapeText, httpsLink } from './escape-markdown.ts';
import { formatCost, formatDuration, shortSha } from './format-values.ts';
import type { TaskOutcome } from './report-model.ts';

/** How much of each task the table shows; the report shrinks these to fit its length limit. */
export interface TaskTableOptions {
  /** File names listed after the count of changed files (default 3; 0 shows the count only). */
  fileNames?: number;
  /** Longest title shown before it is cut with `…` (default 120). */
  titleChars?: number;
}

const NONE = '—';

/** A link to the task's job, only for an https URL. */
function jobLink(url: string | undefined): string {
  const link = httpsLink('log', url);
  return link ? ` (${link})` : '';
}

function filesCell(files: string[], shown: number): string {
  if (files.length === 0) return '0';
  const names = files.slice(0, shown).map((f) => codeSpan(f, { inTable: true }));
  const rest = files.length - names.length;
  if (rest > 0 && names.length > 0) names.push(`+${rest} more`);
  return names.length === 0 ? String(files.length) : `${files.length}: ${names.join(', ')}`;
}

function row(task: TaskOutcome, options: Required<TaskTableOptions>): string {
  const cells = [
    `${codeSpan(task.id, { inTable: true })} ${escapeText(clip(task.title, options.titleChars))}`,
    `${task.state}${jobLink(task.jobUrl)}`,
    task.branch === '' ? NONE : codeSpan(task.branch, { inTable: true }),
    task.commit === undefined ? NONE : codeSpan(shortSha(task.commit), { inTable: true }),
    filesCell(task.files, options.fileNames),
    task.costUsd === undefined ? NONE : formatCost(task.costUsd),
    task.turns === undefined ? NONE : String(task.turns),
    task.durationMs === undefined ? NONE : formatDuration(task.durationMs),
  ];
  return `| ${cells.join(' | ')} |`;
}

/**
 * Renders the tasks as a GitHub Markdown table: task (id and title), status word, branch, short commit,
 * changed files (count and first names), cost, turns and duration. Titles, branches and file names are
 * escaped, so a hostile value cannot break the table or inject HTML.
 */
export function renderTaskTable(tasks: readonly TaskOutcome[], options: TaskTableOptions = {}): string {
  const resolved = { fileNames: options.fileNames ?? 3, titleChars: options.titleChars ?? 120 };
  const header = '| Task | Status | Branch | Commit | Files | Cost | Turns | Duration |';
  const rule = '| --- | --- | --- | --- | --- | ---: | ---: | ---: |';
  return [header, rule, ...tasks.map((task) => row(task, resolved))].join('\n');
}
