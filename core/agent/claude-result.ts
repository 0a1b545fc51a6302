/**
 * What a Claude Code run reported, turned into the agent contract's result. The fields of Claude Code's
 * stream messages the agent relies on are validated here, at the boundary: the SDK's types describe what
 * the CLI should send, not what a given CLI version did send.
 */
import { z } from 'zod';
import type { AgentRunInput, AgentRunResult } from './agent-contract.ts';

/** Characters of the final text kept in `stdout`; plans and summaries are far shorter. */
const STDOUT_LIMIT = 256 * 1024;

/** The `result` message Claude Code ends every turn with. */
export const ClaudeResultSchema = z
  .object({
    type: z.literal('result'),
    /** `success`, `error_max_turns`, `error_max_budget_usd`, `error_during_execution`, …; not a verdict on its own. */
    subtype: z.string().min(1),
    /** The verdict: true also for a `success` turn that ended on an API or login error. */
    is_error: z.boolean(),
    num_turns: z.number().int().min(0),
    total_cost_usd: z.number().min(0),
    /** The final assistant text, or the error text when `is_error`; only on `success`. */
    result: z.string().optional(),
    /** Why an error subtype stopped, in Claude Code's words. */
    errors: z.array(z.string()).optional(),
    /** The answer matching the requested JSON schema, when the run asked for structured output (planning). */
    structured_output: z.unknown().optional(),
  })
  .loose();

/** A validated `result` message. */
export type ClaudeResult = z.infer<typeof ClaudeResultSchema>;

/** An `assistant` message, read only for its text blocks. */
export const ClaudeAssistantSchema = z
  .object({
    type: z.literal('assistant'),
    message: z.object({
      content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
    }),
  })
  .loose();

/** The limits the run was given, for error sentences that say which one to raise. */
export interface ClaudeLimits {
  maxTurns: number;
  budgetUsd?: number;
}

/** True when the turn finished its work: `is_error` is false and no error subtype stopped it early. */
export function isClaudeSuccess(result: ClaudeResult): boolean {
  // is_error is the verdict (a `success` subtype can carry is_error: true); the subtype check only guards
  // against a CLI that stops early without setting is_error.
  return !result.is_error && result.subtype === 'success';
}

/** One sentence a user can act on saying why the turn failed; undefined when it succeeded. */
export function explainClaudeResult(result: ClaudeResult, limits: ClaudeLimits): string | undefined {
  if (isClaudeSuccess(result)) return undefined;
  const details = firstLine([...(result.errors ?? []), result.result ?? ''].join(' ').trim());
  switch (result.subtype) {
    case 'error_max_turns':
      return `Claude Code stopped after the max_turns limit (${limits.maxTurns}); raise \`max_turns\` in .github/claude-cluster.yml or split the task`;
    case 'error_max_budget_usd': {
      const budget = limits.budgetUsd === undefined ? 'its budget' : formatUsd(limits.budgetUsd);
      return `Claude Code stopped after spending ${budget}; raise \`budget.per_task_usd\` in .github/claude-cluster.yml or split the task`;
    }
    case 'error_during_execution':
      return `Claude Code failed during execution: ${details || 'it reported no details'}`;
    case 'success':
      return `Claude Code reported an error: ${details || 'it reported no details'}`;
    default:
      return `Claude Code stopped with \`${result.subtype}\`: ${details || 'it reported no details'}`;
  }
}

/** The text of an assistant message, or undefined when it has none (only tool calls). */
export function assistantText(message: z.infer<typeof ClaudeAssistantSchema>): string | undefined {
  const text = message.message.content
    .filter((block) => block.type === 'text' && block.text !== undefined)
    .map((block) => block.text)
    .join('\n')
    .trim();
  return text === '' ? undefined : text;
}

/** What one Claude Code run showed, gathered while its message stream is consumed. */
export interface ClaudeRunObservation {
  startedAt: number;
  timedOut: boolean;
  aborted: boolean;
  /** The raw `result` message; validated here, once the stream has ended. */
  result?: unknown;
  /** Text of the last assistant message that had any, the summary when no result says more. */
  lastText?: string;
  /** What the SDK threw, if anything. */
  thrown?: unknown;
  stderrTail: string;
}

/** Turns what the run saw into the contract's result; the first matching case wins. */
export function toAgentRunResult(
  state: ClaudeRunObservation,
  input: AgentRunInput,
  limits: ClaudeLimits,
): AgentRunResult {
  const base = { timedOut: state.timedOut, aborted: state.aborted, durationMs: Date.now() - state.startedAt };
  const parsed = state.result === undefined ? undefined : ClaudeResultSchema.safeParse(state.result);
  const result: ClaudeResult | undefined = parsed?.success ? parsed.data : undefined;

  // A finished turn counts even when the timeout or an abort came while the process was exiting.
  if (result !== undefined && isClaudeSuccess(result)) {
    const text = result.result ?? state.lastText ?? '';
    // A structured answer (the plan) is what the caller parses: it goes last on stdout, where the last JSON object wins.
    const structured =
      result.structured_output === undefined ? '' : `\n${JSON.stringify(result.structured_output)}`;
    return {
      ...base,
      ok: true,
      exitCode: 0,
      stdout: cap(`${text}${structured}`),
      summary: text,
      ...usage(result),
    };
  }
  const error = failureSentence(state, input, limits, result, parsed?.error?.message);
  const text = result?.result ?? state.lastText ?? '';
  return {
    ...base,
    ok: false,
    exitCode: null,
    stdout: cap(text),
    summary: text === '' ? error : text,
    ...(result === undefined ? {} : usage(result)),
    error,
  };
}

function failureSentence(
  state: ClaudeRunObservation,
  input: AgentRunInput,
  limits: ClaudeLimits,
  result: ClaudeResult | undefined,
  schemaProblem: string | undefined,
): string {
  if (state.timedOut) {
    return `Claude Code did not finish within ${formatDuration(input.timeoutMs ?? 0)} and was stopped; raise \`task_timeout_minutes\` in .github/claude-cluster.yml or split the task`;
  }
  if (state.aborted) return 'Claude Code was stopped because the run was cancelled';
  if (result !== undefined) return explainClaudeResult(result, limits) ?? 'Claude Code reported an error';
  if (schemaProblem !== undefined) {
    return `Claude Code sent a result message this version of claude-cluster cannot read (${oneLine(schemaProblem)}); use the @anthropic-ai/claude-agent-sdk version claude-cluster pins`;
  }
  const stderr = oneLine(state.stderrTail);
  const reason = state.thrown === undefined ? 'it exited without one' : oneLine(errorMessage(state.thrown));
  return `Claude Code ended before reporting a result: ${reason}${stderr === '' ? '' : ` (stderr: ${stderr})`}`;
}

function usage(result: ClaudeResult): { costUsd: number; turns: number } {
  return { costUsd: result.total_cost_usd, turns: result.num_turns };
}

function cap(text: string): string {
  return text.length <= STDOUT_LIMIT
    ? text
    : `${text.slice(0, STDOUT_LIMIT)}\n[… ${text.length - STDOUT_LIMIT} more characters not kept]`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 500 ? flat : `…${flat.slice(-500)}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `$5.00`, and enough digits for small test budgets: `$0.0001`. */
function formatUsd(amount: number): string {
  return amount >= 0.01 ? `$${amount.toFixed(2)}` : `$${Number(amount.toPrecision(2))}`;
}

function formatDuration(ms: number): string {
  if (ms >= 60_000) return `${Math.round((ms / 60_000) * 10) / 10} minutes`;
  return `${Math.round(ms / 100) / 10} seconds`;
}

/** Error texts can run to many lines; an error sentence keeps the first non-empty one. */
function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}
