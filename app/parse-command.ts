import { closestName } from '../core/config/closest-name.ts';
import type { RetrySelection } from '../core/orchestrate/orchestrator.ts';
import { TaskIdSchema } from '../core/plan/plan-schema.ts';
import { codeSpan } from '../core/report/escape-markdown.ts';

/** A `/cluster` command, read from the first line of a comment. */
export type ClusterCommand =
  /** `/cluster [instructions]`: start a run; the text after the word is added to every task's prompt. */
  | { kind: 'start'; extraInstructions?: string }
  /** `/cluster plan [instructions]`: publish the plan and stop. */
  | { kind: 'plan'; extraInstructions?: string }
  | { kind: 'approve' }
  | { kind: 'status' }
  | { kind: 'cancel' }
  | { kind: 'retry'; selection: RetrySelection }
  | { kind: 'help' }
  /** Not a command the App knows: answered with the problem and the usage, never with silence. */
  | { kind: 'invalid'; problem: string };

/** The subcommands, in the order the usage lists them. */
export const SUBCOMMANDS = ['plan', 'approve', 'status', 'cancel', 'retry', 'help'] as const;

/**
 * Reads a comment as a command for `/<word>` (config `command`). Only the first non-blank line is the command; the
 * word and subcommands are case-insensitive. Returns undefined when the comment is not addressed to the App (so it
 * says nothing), and an `invalid` command (answered with the usage) when it is addressed to the App but not
 * understood: a misspelt subcommand, `retry` without a task, or one lone unknown word.
 */
export function parseCommand(body: string, word: string): ClusterCommand | undefined {
  const text = body.replace(/\r\n?/g, '\n').trimStart();
  const prefix = `/${word}`;
  if (text.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
  const rest = text.slice(prefix.length);
  // `/clusters` or `/cluster-bot` address someone else.
  if (rest !== '' && !/^\s/.test(rest)) return undefined;
  const firstLine = rest.split('\n', 1)[0] ?? '';
  const tokens = firstLine
    .trim()
    .split(/\s+/)
    .filter((token) => token !== '');
  const first = tokens[0];
  if (first === undefined) return withInstructions('start', rest);
  const subcommand = first.toLowerCase();
  const afterFirst = rest.slice(rest.indexOf(first) + first.length);
  switch (subcommand) {
    case 'plan':
      return withInstructions('plan', afterFirst);
    case 'approve':
    case 'status':
    case 'cancel':
    case 'help':
      return { kind: subcommand };
    case 'retry':
      return parseRetry(word, tokens.slice(1));
  }
  const suggestion = closestName(subcommand, SUBCOMMANDS);
  if (suggestion !== undefined) {
    return {
      kind: 'invalid',
      problem: `${codeSpan(`/${word} ${first}`)} is not a command; did you mean ${codeSpan(`/${word} ${suggestion}`)}?`,
    };
  }
  // One lone word reads as a subcommand, not as instructions: starting a run on a typo would be costly.
  if (rest.trim() === first) {
    return { kind: 'invalid', problem: `${codeSpan(`/${word} ${first}`)} is not a command` };
  }
  return withInstructions('start', rest);
}

function withInstructions(kind: 'start' | 'plan', text: string): ClusterCommand {
  const extraInstructions = text.trim();
  return extraInstructions === '' ? { kind } : { kind, extraInstructions };
}

function parseRetry(word: string, args: string[]): ClusterCommand {
  const usage = `${codeSpan(`/${word} retry`)} takes one task id or ${codeSpan('failed')}, e.g. ${codeSpan(`/${word} retry failed`)}`;
  const [target, ...extra] = args;
  if (target === undefined || extra.length > 0) return { kind: 'invalid', problem: usage };
  if (target.toLowerCase() === 'failed') return { kind: 'retry', selection: { kind: 'failed' } };
  const taskId = TaskIdSchema.safeParse(target.toLowerCase());
  if (!taskId.success) {
    return {
      kind: 'invalid',
      problem: `${codeSpan(target)} is not a task id (lowercase letters, digits and single dashes, as in the plan); ${usage}`,
    };
  }
  return { kind: 'retry', selection: { kind: 'task', taskId: taskId.data } };
}
