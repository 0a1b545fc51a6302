import type { Task } from '../plan/plan-schema.ts';
import { oneLine } from './format-issue-data.ts';
import { stripInvisibleCharacters } from './sanitize-untrusted-text.ts';
import { wrapUntrustedText } from './wrap-untrusted-text.ts';

/** What {@link buildResolvePrompt} needs. */
export interface ResolvePromptInput {
  /** The task whose branch is being merged. */
  task: Task;
  /** Paths git reports as unmerged. */
  conflictedFiles: string[];
  /** The branch being merged into, e.g. `cluster/42`. */
  integrationBranch: string;
  /** The conflict regions, as text, to orient the agent. */
  excerpt: string;
}

/**
 * The prompt for resolving a merge conflict in place. The conflicted code is shown as data (it holds
 * other agents' output); the task's prompt is shown so the resolution keeps its intent.
 */
export function buildResolvePrompt(input: ResolvePromptInput): string {
  const { task } = input;
  const files = input.conflictedFiles.map((file) => `- ${formatPath(file)}`).join('\n');
  const sections = [
    `# Resolve the merge conflicts of task \`${task.id}\`: ${oneLine(stripInvisibleCharacters(task.title))}`,
    `The branch of task \`${task.id}\` is being merged into the integration branch \`${oneLine(input.integrationBranch)}\`, which holds the work of other tasks. Git stopped with conflicts in these files:\n\n${files}`,
    [
      '## How to resolve',
      '',
      '- Edit every file listed until no conflict markers (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`) remain.',
      "- Keep the intent of both sides: the integration branch's changes come from other tasks and must not be lost; this task's change must still do what it was meant to.",
      '- Change only what the resolution needs.',
      '- Do not run `git commit`, `git merge --abort`, `git reset`, `git checkout` or `git stash`: the engine stages and commits the result.',
      '- If the conflict cannot be resolved safely, say why on stderr and exit with a non-zero status; the conflict is then reported on the pull request.',
    ].join('\n'),
    `## What task \`${task.id}\` was asked to do\n\nFor context only; the task itself is done, do not redo it.\n\n${stripInvisibleCharacters(task.prompt).replace(/\n+$/, '')}`,
    `## The conflicts\n\n${wrapUntrustedText('the conflicting regions of the files above, with git conflict markers', input.excerpt)}`,
  ];
  return `${sections.join('\n\n')}\n`;
}

/** A path in backquotes, or as a JSON string when it holds characters that would break the line. */
function formatPath(path: string): string {
  return /[`\p{Cc}\p{Cf}]/u.test(path) ? JSON.stringify(path) : `\`${path}\``;
}
