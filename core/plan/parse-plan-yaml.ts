import { parseYamlText } from '../config/parse-yaml-text.ts';
import { InputError } from '../errors/errors.ts';
import type { Plan } from './plan-schema.ts';
import { assertValidPlan, type ValidatePlanOptions } from './validate-plan.ts';

/** Largest plan text accepted: far above any real plan, small enough to parse without risk. */
export const MAX_PLAN_BYTES = 256 * 1024;

/** The plan text as plain data (not yet validated), or its syntax problems. */
export type ParsedPlanYaml = { ok: true; value: unknown } | { ok: false; problems: string[] };

/**
 * Parses plan YAML (or JSON) into plain data for validatePlan. Syntax errors become problems with line and
 * column ("plan YAML line 4, column 7: …"); duplicate keys, unknown tags, alias bombs and texts over
 * 256 KiB are refused the same way.
 */
export function parsePlanYaml(text: string): ParsedPlanYaml {
  const parsed = parseYamlText(text, {
    label: 'plan YAML',
    maxBytes: MAX_PLAN_BYTES,
    oversizeFix: 'shorten the prompts or split the work across several issues',
  });
  return parsed.ok ? { ok: true, value: parsed.value } : parsed;
}

/** Parses and validates plan YAML in one step; throws InputError with every problem found. */
export function planFromYaml(text: string, options: ValidatePlanOptions = {}): Plan {
  const parsed = parsePlanYaml(text);
  if (!parsed.ok) throw new InputError('the plan is not valid YAML', parsed.problems);
  return assertValidPlan(parsed.value, options);
}
