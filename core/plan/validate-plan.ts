import { closestName } from '../config/closest-name.ts';
import { describeValue, describeZodIssues } from '../config/describe-zod-issue.ts';
import { InputError } from '../errors/errors.ts';
import { controlCharacterProblem } from './control-characters.ts';
import { findDependencyCycles } from './find-dependency-cycles.ts';
import {
  DEFAULT_MAX_TASKS,
  HARD_MAX_TASKS,
  type Plan,
  PlanSchema,
  TASK_ID_MAX_LENGTH,
  TASK_ID_PATTERN,
  TaskSchema,
} from './plan-schema.ts';
import { slugifyTaskId } from './slugify-task-id.ts';

/** Limits a plan is checked against. */
export interface ValidatePlanOptions {
  /** Most tasks allowed (`max_tasks` of the config); default 20, anything above 256 counts as 256. */
  maxTasks?: number;
}

/** A plan that passed every check, or every problem found, in a stable order. */
export type ValidatedPlan = { ok: true; plan: Plan } | { ok: false; problems: string[] };

/** More problems than this are summarised in one last line, so a hostile plan cannot flood a comment. */
export const MAX_REPORTED_PROBLEMS = 100;

/** The task limit in force: `maxTasks` (default 20) as a whole number between 1 and GitHub's matrix limit. */
export function effectiveMaxTasks(maxTasks: number = DEFAULT_MAX_TASKS): number {
  const whole = Number.isFinite(maxTasks) ? Math.floor(maxTasks) : HARD_MAX_TASKS;
  return Math.min(HARD_MAX_TASKS, Math.max(1, whole));
}

/** Longest cycle printed in full. */
const MAX_CYCLE_NAMES = 12;

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "task #3 (`api`)": 1-based position, plus the id when there is one to show. */
function taskLabel(task: unknown, position: number): string {
  const id = isRecord(task) ? task.id : undefined;
  return typeof id === 'string' && id.trim() !== ''
    ? `task #${position + 1} (${describeValue(id)})`
    : `task #${position + 1}`;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function shapeProblems(task: unknown, label: string): string[] {
  if (!isRecord(task)) {
    return [`${label} must be a mapping with \`id\`, \`title\` and \`prompt\` (got ${describeValue(task)})`];
  }
  const result = TaskSchema.safeParse(task, { reportInput: true });
  // An empty title is reported below with the whitespace-only case, in the same words.
  const issues = result.success
    ? []
    : result.error.issues.filter((issue) => !(issue.code === 'too_small' && issue.path[0] === 'title'));
  const problems = describeZodIssues(issues, TaskSchema, label).map((issue) => `${label}: ${issue.message}`);
  const { id, title, prompt } = task;
  const idRule = `use lowercase letters, digits and single dashes, at most ${TASK_ID_MAX_LENGTH} characters`;
  if (typeof id === 'string' && id.trim() === '') {
    problems.push(`${label}: \`id\` is empty; ${idRule}, e.g. \`${slugifyTaskId(String(title ?? ''))}\``);
  } else if (typeof id === 'string' && (!TASK_ID_PATTERN.test(id) || id.length > TASK_ID_MAX_LENGTH)) {
    problems.push(
      `${label}: id ${describeValue(id)} is not a valid id; ${idRule}, e.g. \`${slugifyTaskId(id)}\``,
    );
  }
  if (typeof title === 'string' && title.trim() === '') {
    problems.push(`${label}: \`title\` is empty; give the task a one-line title`);
  } else if (typeof title === 'string' && /[\r\n]/.test(title.trim())) {
    problems.push(`${label}: \`title\` must be one line; move the details into \`prompt\``);
  }
  if (typeof prompt === 'string' && prompt.trim() === '') {
    problems.push(`${label}: \`prompt\` is empty; write the instruction the agent should follow`);
  }
  problems.push(...controlProblems(task, label));
  return problems;
}

/**
 * Control characters in any text field: a NUL in a title would pass here and then fail the run half-way (git refuses
 * it in commit messages); escapes would act on terminals. The id is covered by its own pattern.
 */
function controlProblems(task: Raw, label: string): string[] {
  const fields: [string, unknown, boolean][] = [
    // Line breaks in a title have their own problem above.
    ['`title`', task.title, true],
    ['`prompt`', task.prompt, true],
    ...stringList(task.files).map((glob, index): [string, unknown, boolean] => [
      `\`files\` #${index + 1}`,
      glob,
      false,
    ]),
    ...stringList(task.depends_on).map((id, index): [string, unknown, boolean] => [
      `\`depends_on\` #${index + 1}`,
      id,
      false,
    ]),
  ];
  return fields.flatMap(([field, value, multiLine]) => {
    if (typeof value !== 'string') return [];
    const problem = controlCharacterProblem(field, value, { multiLine });
    return problem === undefined ? [] : [`${label}: ${problem}`];
  });
}

function dependencyProblems(task: unknown, label: string, ids: ReadonlySet<string>): string[] {
  if (!isRecord(task)) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const dependency of stringList(task.depends_on)) {
    const shown = describeValue(dependency);
    if (seen.has(dependency)) {
      problems.push(`${label} lists ${shown} more than once in \`depends_on\`; list each dependency once`);
      continue;
    }
    seen.add(dependency);
    if (dependency === task.id) {
      problems.push(`${label} depends on itself; remove ${shown} from its \`depends_on\``);
    } else if (!ids.has(dependency)) {
      // Suggestions compare against every id; past the matrix limit the plan is refused anyway.
      const suggestion = ids.size <= HARD_MAX_TASKS ? closestName(dependency, [...ids]) : undefined;
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : '';
      problems.push(
        `${label} depends on ${shown}, which is not in the plan${hint}; add that task or remove the dependency`,
      );
    }
  }
  return problems;
}

function duplicateIdProblems(ids: readonly (string | undefined)[]): string[] {
  const positions = new Map<string, number[]>();
  ids.forEach((id, position) => {
    if (id !== undefined) positions.set(id, [...(positions.get(id) ?? []), position + 1]);
  });
  return [...positions]
    .filter(([, where]) => where.length > 1)
    .map(([id, where]) => {
      const numbers = where.map((n) => `#${n}`);
      const list =
        numbers.length === 2 ? `${numbers[0]} and ${numbers[1]} both` : `${numbers.join(', ')} all`;
      return `tasks ${list} have the id ${describeValue(id)}; give each task its own id`;
    });
}

function cycleProblems(tasks: readonly unknown[], ids: readonly (string | undefined)[]): string[] {
  const firstIndex = new Map<string, number>();
  ids.forEach((id, index) => {
    if (id !== undefined && !firstIndex.has(id)) firstIndex.set(id, index);
  });
  const edges = tasks.map((task) =>
    isRecord(task)
      ? stringList(task.depends_on).flatMap((dependency) => {
          const target = firstIndex.get(dependency);
          return target === undefined ? [] : [target];
        })
      : [],
  );
  return findDependencyCycles(edges).map((cycle) => {
    const names = cycle.map((index) => ids[index]!);
    // A cycle through hundreds of tasks would drown the message; its ends are enough to find it.
    const shown =
      names.length > MAX_CYCLE_NAMES
        ? [
            ...names.slice(0, MAX_CYCLE_NAMES - 1),
            `… ${names.length - MAX_CYCLE_NAMES} more …`,
            names.at(-1)!,
          ]
        : names;
    const path = [...shown, names[0]].join(' → ');
    return `dependency cycle \`${path}\` (each task depends on the next); remove one of these dependencies so the tasks can run in order`;
  });
}

function countProblems(count: number, maxTasks: number): string[] {
  if (count === 0) return ['the plan has no tasks; add at least one task under `tasks`'];
  if (count <= maxTasks) return [];
  const raise =
    maxTasks < HARD_MAX_TASKS
      ? ` or raise \`max_tasks\` in .github/claude-cluster.yml (at most ${HARD_MAX_TASKS})`
      : ` (${HARD_MAX_TASKS} is GitHub's matrix limit)`;
  return [`the plan has ${count} tasks, more than the limit of ${maxTasks}; merge related tasks${raise}`];
}

function planProblems(raw: unknown, maxTasks: number): string[] {
  if (!isRecord(raw)) {
    const hint = Array.isArray(raw) ? '; put the list of tasks under `tasks:`' : '';
    return [`the plan must be a mapping with a \`tasks\` list (got ${describeValue(raw)})${hint}`];
  }
  const problems = Object.keys(raw)
    .filter((key) => key !== 'tasks')
    .map((key) => {
      const fix = closestName(key, ['tasks']) ? 'did you mean `tasks`?' : 'the plan holds only `tasks`';
      return `\`${key}\` is not a known key of the plan; ${fix}`;
    });
  const { tasks } = raw;
  if (tasks === undefined)
    return [...problems, 'the plan has no `tasks` list; add `tasks:` with one entry per task'];
  if (!Array.isArray(tasks)) return [...problems, `\`tasks\` must be a list (got ${describeValue(tasks)})`];
  problems.push(...countProblems(tasks.length, maxTasks));
  const ids = tasks.map((task) => (isRecord(task) && typeof task.id === 'string' ? task.id : undefined));
  const knownIds = new Set(ids.filter((id): id is string => id !== undefined));
  tasks.forEach((task, position) => {
    const label = taskLabel(task, position);
    problems.push(...shapeProblems(task, label), ...dependencyProblems(task, label, knownIds));
  });
  problems.push(...duplicateIdProblems(ids), ...cycleProblems(tasks, ids));
  return problems;
}

/**
 * Checks a plan as a whole and reports every problem at once, each naming the task and the fix: shape and
 * unknown keys, invalid or duplicate ids, unknown or self dependencies, cycles (each printed once as
 * `a → b → a`), empty prompts and titles, and the task count. Never throws, whatever `raw` is.
 */
export function validatePlan(raw: unknown, options: ValidatePlanOptions = {}): ValidatedPlan {
  const problems = planProblems(raw, effectiveMaxTasks(options.maxTasks));
  if (problems.length === 0) return { ok: true, plan: PlanSchema.parse(raw) };
  if (problems.length <= MAX_REPORTED_PROBLEMS) return { ok: false, problems };
  const rest = problems.length - MAX_REPORTED_PROBLEMS;
  return {
    ok: false,
    problems: [...problems.slice(0, MAX_REPORTED_PROBLEMS), `… and ${rest} more problems not shown`],
  };
}

/** validatePlan, throwing InputError('the plan is invalid', problems) instead of returning them. */
export function assertValidPlan(raw: unknown, options: ValidatePlanOptions = {}): Plan {
  const result = validatePlan(raw, options);
  if (!result.ok) throw new InputError('the plan is invalid', result.problems);
  return result.plan;
}
