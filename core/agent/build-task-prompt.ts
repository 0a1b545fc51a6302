import type { Task } from '../plan/plan-schema.ts';
import { formatIssueData, oneLine } from './format-issue-data.ts';
import { sanitizeUntrustedText, stripInvisibleCharacters } from './sanitize-untrusted-text.ts';

/** Longest dependency summary quoted in a task prompt. */
const DEPENDENCY_SUMMARY_MAX_CHARS = 400;

/** A finished task the prompt's task builds on. */
export interface DependencyNote {
  id: string;
  title: string;
  /** What its agent reported doing. */
  summary?: string;
}

/** What {@link buildTaskPrompt} needs. */
export interface TaskPromptInput {
  task: Task;
  issueTitle: string;
  issueBody?: string;
  /** Standing instructions from the repository's config (trusted: written by its maintainers). */
  extraInstructions?: string;
  /** The task's dependencies, already merged into its branch. */
  dependencies: DependencyNote[];
}

/**
 * The prompt for one task. The task's own prompt (from the plan) is the instruction and is kept line for
 * line, so its lines keep their starts; invisible characters are removed from it, as nothing a reviewer of
 * the plan could not see may instruct the agent. The issue comes last, sanitized and marked as data.
 */
export function buildTaskPrompt(input: TaskPromptInput): string {
  const { task } = input;
  const sections = [
    `# Task \`${task.id}\`: ${oneLine(stripInvisibleCharacters(task.title))}`,
    'You are one of several coding agents working in parallel on one GitHub issue, which has been split into tasks. This is your task.',
    `## Instructions\n\n${stripInvisibleCharacters(task.prompt).replace(/\n+$/, '')}`,
  ];
  if (input.dependencies.length > 0) {
    sections.push(
      `## Work this task builds on\n\nThese tasks are finished and their changes are already in your working tree:\n${input.dependencies.map(formatDependency).join('\n')}`,
    );
  }
  if (task.files.length > 0) {
    sections.push(
      `## Files\n\nThe plan expects this task to change files matching: ${task.files.map((glob) => `\`${oneLine(glob)}\``).join(', ')}. Other agents change other files at the same time; stay within these unless the task cannot be done otherwise.`,
    );
  }
  const extra = input.extraInstructions?.trim();
  if (extra) sections.push(`## Repository instructions\n\n${extra}`);
  sections.push(
    [
      '## How to work',
      '',
      "- You are in a git worktree on this task's own branch. Edit files there. Do not commit, push, merge, rebase or switch branches: the engine commits what you change.",
      '- Do only this task; other agents do the other tasks of the plan.',
      '- Nobody will answer questions. If the task cannot be done, say why on stderr and exit with a non-zero status.',
      '- Finish with a short summary of what you changed; it becomes the commit message.',
    ].join('\n'),
  );
  sections.push(`## The issue, for background\n\n${formatIssueData(input.issueTitle, input.issueBody)}`);
  return `${sections.join('\n\n')}\n`;
}

function formatDependency(dependency: DependencyNote): string {
  const line = `- \`${dependency.id}\`: ${oneLine(stripInvisibleCharacters(dependency.title))}`;
  const summary = oneLine(sanitizeUntrustedText(dependency.summary ?? ''));
  if (summary === '') return line;
  const clipped =
    summary.length <= DEPENDENCY_SUMMARY_MAX_CHARS
      ? summary
      : `${summary.slice(0, DEPENDENCY_SUMMARY_MAX_CHARS - 1)}…`;
  return `${line} (its agent reported: ${clipped})`;
}
