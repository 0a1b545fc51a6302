import { InputError } from '../errors/errors.ts';
import { findFencedBlocks } from './find-fenced-blocks.ts';
import { parsePlanYaml } from './parse-plan-yaml.ts';
import type { Plan } from './plan-schema.ts';
import { readTaskList } from './read-task-list.ts';
import { uniqueTaskIds } from './slugify-task-id.ts';
import { type ValidatePlanOptions, validatePlan } from './validate-plan.ts';

/**
 * Where an issue's plan came from: an explicit ```cluster block, the issue's task list, or nowhere (the
 * caller then asks a planner agent for one).
 */
export type IssuePlan =
  | { source: 'block'; plan: Plan }
  | { source: 'task-list'; plan: Plan }
  | { source: 'none' };

/** Info strings that mark a plan block: `cluster`, `yaml cluster` (`yml cluster`), any case. */
export const PLAN_BLOCK_INFO = /^(?:ya?ml\s+)?cluster$/i;

function planFromBlock(content: string, line: number, options: ValidatePlanOptions): Plan {
  const parsed = parsePlanYaml(content);
  if (!parsed.ok) {
    throw new InputError(
      `the \`cluster\` block of the issue (line ${line}) is not valid YAML`,
      parsed.problems,
    );
  }
  const result = validatePlan(parsed.value, options);
  if (!result.ok)
    throw new InputError(`the \`cluster\` block of the issue (line ${line}) is invalid`, result.problems);
  return result.plan;
}

function planFromTaskList(lines: readonly string[], options: ValidatePlanOptions): Plan | undefined {
  const open = readTaskList(lines).filter((item) => !item.checked);
  // No unchecked items (no task list, or every item done): nothing here to run.
  if (open.length === 0) return undefined;
  const ids = uniqueTaskIds(open.map((item) => item.text));
  const tasks = open.map((item, index) => ({ id: ids[index], title: item.text, prompt: item.body }));
  const result = validatePlan({ tasks }, options);
  if (!result.ok) throw new InputError('the task list of the issue cannot be run as a plan', result.problems);
  return result.plan;
}

/**
 * Reads the plan an issue body spells out. First a fenced block with the info string `cluster` or
 * `yaml cluster` holding plan YAML (more than one is an error); otherwise every unchecked top-level
 * task-list item (`- [ ] text`) is an independent task, its id the slug of its text; otherwise `none`.
 * Throws InputError, listing every problem, when the plan found is invalid.
 */
export function readIssuePlan(markdown: string, options: ValidatePlanOptions = {}): IssuePlan {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks = findFencedBlocks(lines).filter((block) =>
    PLAN_BLOCK_INFO.test(block.info.replace(/\s+/g, ' ')),
  );
  if (blocks.length > 1) {
    const where = blocks.map((block) => block.line);
    throw new InputError('the issue has more than one plan block', [
      `the issue has ${blocks.length} \`cluster\` blocks (lines ${where.slice(0, -1).join(', ')} and ${where.at(-1)}); keep exactly one`,
    ]);
  }
  const [block] = blocks;
  if (block) return { source: 'block', plan: planFromBlock(block.content, block.line, options) };
  const plan = planFromTaskList(lines, options);
  return plan ? { source: 'task-list', plan } : { source: 'none' };
}
