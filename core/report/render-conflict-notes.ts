import { capHead, type LineCap } from './cap-lines.ts';
import { clip, codeSpan, escapeText, fencedBlock } from './escape-markdown.ts';
import { countOf } from './format-values.ts';
import type { ConflictNote, TaskOutcome } from './report-model.ts';

/** How conflict notes are shown; the report shrinks these step by step to fit its length limit. */
export interface ConflictNotesOptions {
  /** Cap of each conflict's excerpt, or `'omitted'` to point at the task branch instead. */
  excerpt: LineCap | 'omitted';
  /**
   * One line per conflict (task, files, resolution) with no title, no `touchedBy` and no excerpt: the
   * smallest form, used only when nothing else fits.
   */
  compact?: boolean;
}

/** Default excerpt cap per conflict. */
export const DEFAULT_EXCERPT_CAP: LineCap = { maxLines: 80, maxChars: 6000 };

/** The resolution of a conflict in words, e.g. "resolved by the agent". */
export function describeResolution(note: ConflictNote, task: TaskOutcome): string {
  const retry = `; retry with ${codeSpan(`/cluster retry ${task.id}`)}`;
  switch (note.resolution) {
    case 'resolved':
      return 'resolved by the agent';
    case 'retried':
      return 're-run on the integration branch and merged';
    case 'skipped':
      return `left unmerged: branch ${codeSpan(task.branch)} kept${retry}`;
    case 'unresolved':
      return `unresolved${retry}`;
  }
}

// `touchedBy` comes from the ledger; a file named like an Object.prototype key must not read the prototype.
function touchedBy(note: ConflictNote, file: string): string[] {
  const tasks = Object.hasOwn(note.touchedBy, file) ? note.touchedBy[file] : undefined;
  return Array.isArray(tasks) ? tasks : [];
}

function fileLine(note: ConflictNote, file: string): string {
  const others = touchedBy(note, file);
  const by =
    others.length > 0
      ? `also changed by ${others.map((t) => codeSpan(t)).join(', ')}`
      : 'no integrated task changed it';
  return `  - ${codeSpan(file)}: ${by}`;
}

function excerptBlock(note: ConflictNote, task: TaskOutcome, cap: LineCap | 'omitted'): string {
  const branch = codeSpan(task.branch);
  if (note.excerpt.trim() === '') return '_No excerpt was recorded._';
  if (cap === 'omitted') return `_Excerpt omitted, see branch ${branch}._`;
  const { text, omittedLines } = capHead(note.excerpt, cap);
  const block = fencedBlock(text, 'diff');
  return omittedLines > 0
    ? `${block}\n\n_… ${countOf(omittedLines, 'more line')}; see branch ${branch}._`
    : block;
}

function fullEntry(task: TaskOutcome, note: ConflictNote, heading: string, cap: LineCap | 'omitted'): string {
  return [
    `### ${heading}`,
    '',
    `- **Resolution:** ${describeResolution(note, task)}`,
    `- **Files:**`,
    ...note.files.map((file) => fileLine(note, file)),
    '',
    excerptBlock(note, task, cap),
  ].join('\n');
}

function compactEntry(task: TaskOutcome, note: ConflictNote): string {
  const files = note.files.map((f) => codeSpan(f)).join(', ');
  return `- ${codeSpan(task.id)}: ${files}; ${describeResolution(note, task)}; excerpt omitted, see branch ${codeSpan(task.branch)}`;
}

/**
 * Renders the "Conflict notes" section: per conflict the task, the files, the already-integrated tasks
 * that touched each file, a capped `diff` excerpt of the conflicting hunks and the resolution in words.
 * Returns an empty string when no task met a conflict.
 */
export function renderConflictNotes(tasks: readonly TaskOutcome[], options: ConflictNotesOptions): string {
  const entries: string[] = [];
  for (const task of tasks) {
    task.conflicts.forEach((note, index) => {
      if (options.compact) {
        entries.push(compactEntry(task, note));
        return;
      }
      const count = task.conflicts.length > 1 ? ` (conflict ${index + 1} of ${task.conflicts.length})` : '';
      const heading = `${codeSpan(task.id)} ${escapeText(clip(task.title, 120))}${count}`;
      entries.push(fullEntry(task, note, heading, options.excerpt));
    });
  }
  if (entries.length === 0) return '';
  const intro =
    'Git could not merge these tasks on its own. Each entry names the files and how the conflict ended.';
  return ['## Conflict notes', '', intro, '', entries.join(options.compact ? '\n' : '\n\n')].join('\n');
}
