import { stripVTControlCharacters } from 'node:util';
import { z } from 'zod';

/** Longest summary kept from an agent's output. */
export const SUMMARY_MAX_CHARS = 500;

/**
 * The optional last stdout line a command agent may print to report on its run:
 * `{"cluster_result": {"summary": "...", "cost_usd": 0.1, "turns": 3}}`. Every field is optional.
 */
export const ClusterResultLineSchema = z.object({
  cluster_result: z.object({
    summary: z.string().optional().describe('What the agent did, in a sentence or a short paragraph.'),
    cost_usd: z.number().nonnegative().optional().describe('What the run cost, in USD.'),
    turns: z.number().int().nonnegative().optional().describe('How many model turns the run took.'),
  }),
});

/** What an agent's stdout says about its run. */
export interface AgentReport {
  /** The reported summary, else the last non-empty output lines (at most 500 characters); may be empty. */
  summary: string;
  costUsd?: number;
  turns?: number;
  /** Set when the agent printed a `cluster_result` line that does not match the schema. */
  problem?: string;
}

/**
 * Reads the summary, cost and turns from the end of an agent's stdout. A last line holding a JSON object
 * with a `cluster_result` key is the agent's report; a malformed one is a problem, never silently ignored.
 */
export function readAgentReport(stdoutTail: string): AgentReport {
  const lines = stripVTControlCharacters(stdoutTail)
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const last = lines.at(-1);
  const reported = last === undefined ? undefined : parseClusterResultLine(last);
  if (reported === undefined) return { summary: summarizeLines(lines) };
  const rest = lines.slice(0, -1);
  if (!reported.success) {
    const issues = reported.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    return {
      summary: summarizeLines(rest),
      problem: `its last line is a \`cluster_result\` report that does not match {"cluster_result": {"summary"?: string, "cost_usd"?: number ≥ 0, "turns"?: integer ≥ 0}} (${issues}); fix the line or leave it out`,
    };
  }
  const { summary, cost_usd: costUsd, turns } = reported.data.cluster_result;
  const text = summary?.trim() ? clip(summary.trim()) : summarizeLines(rest);
  return {
    summary: text,
    ...(costUsd === undefined ? {} : { costUsd }),
    ...(turns === undefined ? {} : { turns }),
  };
}

/** Undefined when the line is not a `cluster_result` report at all (ordinary output). */
function parseClusterResultLine(line: string) {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('cluster_result')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !('cluster_result' in value)) return undefined;
  return ClusterResultLineSchema.safeParse(value);
}

/** The last lines that fit in the summary budget; a single longer line keeps its end. */
function summarizeLines(lines: string[]): string {
  const picked: string[] = [];
  let length = 0;
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!;
    const added = line.length + (picked.length > 0 ? 1 : 0);
    if (length + added > SUMMARY_MAX_CHARS) {
      if (picked.length === 0) return `…${line.slice(line.length - (SUMMARY_MAX_CHARS - 1))}`;
      break;
    }
    picked.unshift(line);
    length += added;
  }
  return picked.join('\n');
}

function clip(text: string): string {
  return text.length <= SUMMARY_MAX_CHARS ? text : `${text.slice(0, SUMMARY_MAX_CHARS - 1)}…`;
}
