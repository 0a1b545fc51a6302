import { capHead, type LineCap } from './cap-lines.ts';
import { clip, codeSpan, escapeText, fencedBlock } from './escape-markdown.ts';
import { countOf } from './format-values.ts';
import type { TaskOutcome, WithheldChange } from './report-model.ts';

/** Default cap of each withheld workflow patch in the report. */
export const DEFAULT_PATCH_CAP: LineCap = { maxLines: 400, maxChars: 20_000 };

/** Where the full change lives when the report cannot show it. */
const LEDGER_POINTER = "the task's entry on the run's ledger branch holds the patch";

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

function why(change: WithheldChange): string {
  if (change.reason === 'workflow') {
    const what = change.bytes === undefined ? 'deletes a workflow file' : 'changes a workflow file';
    return `${what}; a job's token lacks the \`workflows\` permission`;
  }
  const size = change.bytes === undefined ? '' : ` (${megabytes(change.bytes)})`;
  return `larger than GitHub's file size limit${size}; not kept: add it again with Git LFS or leave it out`;
}

function patchBlock(change: WithheldChange, cap: LineCap | 'omitted'): string {
  if (change.patch === undefined || change.patch.trim() === '') {
    return change.reason === 'workflow' ? '  _No patch was recorded (the file is too large to carry)._' : '';
  }
  if (cap === 'omitted') return `  _Patch omitted to fit the length limit; ${LEDGER_POINTER}._`;
  const { text, omittedLines } = capHead(change.patch, cap);
  const lines = [fencedBlock(text, 'diff')];
  if (omittedLines > 0) lines.push(`_… ${countOf(omittedLines, 'more line')} cut here; ${LEDGER_POINTER}._`);
  if (change.patchTruncated) lines.push('_The recorded patch itself was cut at 100,000 characters._');
  // Indented under its list item.
  return lines
    .join('\n\n')
    .split('\n')
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');
}

/** Number of changes withheld over all tasks. */
export function countWithheld(tasks: readonly TaskOutcome[]): number {
  return tasks.reduce((sum, task) => sum + (task.withheld?.length ?? 0), 0);
}

/**
 * Renders "Changes a maintainer must apply": per task, each change GitHub refused from the job's token (a workflow
 * file, a file over the size limit) with why, and for workflow files the patch in a `diff` block and how to apply it.
 * Paths and reasons are in every form; only the patches are capped or omitted. Empty when nothing was withheld.
 */
export function renderWithheldChanges(
  tasks: readonly TaskOutcome[],
  options: { patch: LineCap | 'omitted'; integrationBranch: string },
): string {
  const entries = tasks
    .filter((task) => (task.withheld?.length ?? 0) > 0)
    .map((task) => {
      const items = (task.withheld ?? []).map((change) => {
        const block = patchBlock(change, options.patch);
        const line = `- ${codeSpan(change.path)}: ${why(change)}`;
        return block === '' ? line : `${line}\n\n${block}`;
      });
      return [`### ${codeSpan(task.id)} ${escapeText(clip(task.title, 120))}`, '', ...items].join('\n');
    });
  if (entries.length === 0) return '';
  const intro = [
    "GitHub refuses these changes from a workflow job's token, so they were left out of the tasks' commits;",
    'the rest of each task is on the integration branch. To apply a patch, save it to a file and run',
    `${codeSpan('git apply <file>')} on ${codeSpan(options.integrationBranch)} with your own credentials, then commit and push.`,
  ].join(' ');
  return ['## Changes a maintainer must apply', '', intro, '', entries.join('\n\n')].join('\n');
}
