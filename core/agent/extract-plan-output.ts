import { stripVTControlCharacters } from 'node:util';
import { InputError } from '../errors/errors.ts';
import { findFencedBlocks } from '../plan/find-fenced-blocks.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { PLAN_BLOCK_INFO, readIssuePlan } from '../plan/read-issue-plan.ts';
import { type ValidatePlanOptions, validatePlan } from '../plan/validate-plan.ts';

/** JSON candidates tried, from the end; bounds the work on output full of braces. */
const MAX_JSON_CANDIDATES = 1000;

/** The plan an agent printed, or every problem that kept it from being one. */
export type ExtractedPlan =
  | { ok: true; plan: Plan; source: 'block' | 'json' }
  | { ok: false; problems: string[] };

/**
 * Reads the plan from a planning agent's stdout: a fenced ```cluster (or ```yaml cluster) block if there is
 * one, else the last JSON object holding `tasks`. The plan is validated; problems are returned, not
 * thrown, so they can be fed back to the agent.
 */
export function extractPlanOutput(stdout: string, options: ValidatePlanOptions = {}): ExtractedPlan {
  const text = stripVTControlCharacters(stdout);
  if (hasPlanBlock(text)) return readPlanBlock(text, options);
  const json = lastPlanObject(text);
  if (json === undefined) {
    return {
      ok: false,
      problems: [
        'the output holds no plan: print one fenced block tagged `cluster` with `tasks:` in YAML, or one JSON object {"tasks": [...]}',
      ],
    };
  }
  const result = validatePlan(json, options);
  return result.ok ? { ok: true, plan: result.plan, source: 'json' } : result;
}

function hasPlanBlock(text: string): boolean {
  return findFencedBlocks(text.replace(/\r\n?/g, '\n').split('\n')).some((block) =>
    PLAN_BLOCK_INFO.test(block.info.replace(/\s+/g, ' ')),
  );
}

function readPlanBlock(text: string, options: ValidatePlanOptions): ExtractedPlan {
  try {
    const found = readIssuePlan(text, options);
    if (found.source === 'block') return { ok: true, plan: found.plan, source: 'block' };
    return { ok: false, problems: ['the `cluster` block of the output could not be read'] };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { ok: false, problems: error.problems.length > 0 ? error.problems : [error.message] };
  }
}

/**
 * The last JSON object in the text that has a `tasks` key. Every balanced `{…}` span is a candidate, so a
 * plan inside prose or after an unbalanced brace is still found; objects nested in another JSON value are
 * not plans.
 */
function lastPlanObject(text: string): unknown {
  const spans = braceSpans(text).sort((a, b) => b.end - a.end);
  let parsed: { start: number; end: number } | undefined;
  for (const span of spans.slice(0, MAX_JSON_CANDIDATES)) {
    if (parsed !== undefined && span.start > parsed.start && span.end < parsed.end) continue;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(span.start, span.end + 1));
    } catch {
      continue;
    }
    parsed = span;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'tasks' in value)
      return value;
  }
  return undefined;
}

/** Start and end of every balanced brace pair; strings are tracked only inside braces, where JSON lives. */
function braceSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const open: number[] = [];
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"' && open.length > 0) inString = true;
    else if (char === '{') open.push(index);
    else if (char === '}') {
      const start = open.pop();
      if (start !== undefined) spans.push({ start, end: index });
    }
  }
  return spans;
}
