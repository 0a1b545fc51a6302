import { createHash } from 'node:crypto';
import { z } from 'zod';
import { redactSecrets } from '../agent/sanitize-untrusted-text.ts';
import type { Config } from '../config/config-schema.ts';
import { describeZodIssues } from '../config/describe-zod-issue.ts';
import { InputError } from '../errors/errors.ts';
import { RunIdSchema } from '../integrate/branch-names.ts';
import { HARD_MAX_TASKS, type Plan, PlanSchema } from '../plan/plan-schema.ts';
import { validatePlan } from '../plan/validate-plan.ts';
import { clip, codeSpan, escapeText, httpsLink } from '../report/escape-markdown.ts';
import { checkMaxLength, fitToLength, GITHUB_BODY_LIMIT } from '../report/fit-to-length.ts';
import { countOf, formatCost } from '../report/format-values.ts';
import { renderMermaid } from '../report/render-mermaid.ts';
import { renderTaskTable } from '../report/render-task-table.ts';
import type { TaskOutcome } from '../report/report-model.ts';

/** First line of the hidden block; the version is part of it so a future format is never misread as this one. */
export const RUN_RECORD_MARKER = 'claude-cluster:run-record v1';

/**
 * The run record: what the App re-derives a run from. It lives base64url-encoded in a hidden HTML comment at the
 * end of the plan comment on the issue.
 */
export const RunRecordSchema = z
  .object({
    /** Format version; bumped (with the marker) on any incompatible change. */
    version: z.literal(1),
    /** The run id, part of every branch name of the run. */
    runId: RunIdSchema,
    /** The issue the run works on. */
    issueNumber: z.number().int().positive(),
    /** Branch the integration branch starts from. */
    base: z.string().min(1),
    /** The validated plan, defaults applied. */
    plan: PlanSchema,
    /** `sha256:<hex>` of the configuration the plan was made with ({@link digestConfig}). */
    configDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    /** When the plan was recorded (ISO 8601, UTC). */
    createdAt: z.iso.datetime(),
    /** Where the plan came from: the issue's `cluster` block, its task list, or the planning agent. */
    source: z.enum(['block', 'task-list', 'agent']),
  })
  .strict();

/** A run record. */
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** What the visible part of the plan comment shows besides the record itself. */
export interface PlanRecordView {
  /** The issue's title (untrusted; escaped when rendered). */
  title: string;
  /** Budget of one task in USD; the estimate shown is tasks × this. */
  perTaskUsd: number;
  /** The planning agent's name, shown when the plan came from the agent. */
  planner?: string;
  /** Link to the workflow run that made the plan; shown only when it is an https URL. */
  runUrl?: string;
  /** Longest comment body, in characters (default 65,536: GitHub's limit). */
  maxLength?: number;
}

const HIDDEN_BLOCK = /<!-- claude-cluster:run-record v1\r?\n([A-Za-z0-9_-]+)\r?\n-->/g;

/** Levels of detail of the visible part, from most to least; the hidden block is always kept whole. */
const VIEW_LEVELS = [
  { table: 'full', mermaid: 40 },
  { table: 'full', mermaid: 0 },
  { table: 'compact', mermaid: 0 },
  { table: 'compact', mermaid: 'omitted' },
  { table: 'omitted', mermaid: 'omitted' },
] as const;

type ViewLevel = (typeof VIEW_LEVELS)[number];

/**
 * `sha256:<hex>` of the configuration with its keys sorted, so the same settings always give the same digest and
 * the App can tell when a run's configuration changed since it was planned.
 */
export function digestConfig(config: Config): string {
  return `sha256:${createHash('sha256').update(canonicalJson(config)).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The planned tasks as report rows: every task pending, no branch or cost yet. */
export function plannedTaskOutcomes(plan: Plan): TaskOutcome[] {
  return plan.tasks.map((task) => ({
    id: task.id,
    title: task.title,
    dependsOn: task.depends_on,
    state: 'pending',
    branch: '',
    files: task.files,
    conflicts: [],
  }));
}

function plannedBy(record: RunRecord, view: PlanRecordView): string {
  if (record.source === 'block') return "the issue's `cluster` block";
  if (record.source === 'task-list') return "the issue's task list";
  // An `agent` command line could carry a token; the comment is public.
  return `the agent ${codeSpan(clip(redactSecrets(view.planner ?? 'unknown'), 80))}`;
}

/**
 * The top of a plan view: the issue title, the task count, run id and base, the budget estimate (tasks × per-task
 * budget) and who planned it when. Untrusted text is escaped.
 */
export function renderPlanHeading(record: RunRecord, view: PlanRecordView): string {
  const count = record.plan.tasks.length;
  const title = view.title.trim() === '' ? `issue #${record.issueNumber}` : escapeText(clip(view.title, 200));
  const estimate = `${formatCost(count * view.perTaskUsd)} (${countOf(count, 'task')} × ${formatCost(view.perTaskUsd)} per task)`;
  const when = `${record.createdAt.slice(0, 16).replace('T', ' ')} UTC`;
  const link = httpsLink('workflow run', view.runUrl);
  return [
    `## Plan: ${title}`,
    '',
    `**${countOf(count, 'task')}** for run ${codeSpan(record.runId)}, based on ${codeSpan(record.base)}. Budget estimate: at most ${estimate}.`,
    '',
    `Planned by ${plannedBy(record, view)} on ${when}${link === '' ? '' : ` (${link})`}.`,
  ].join('\n');
}

function renderVisible(record: RunRecord, view: PlanRecordView, level: ViewLevel): string {
  const tasks = plannedTaskOutcomes(record.plan);
  const sections = [renderPlanHeading(record, view)];
  if (level.table === 'omitted') sections.push('_Task table omitted to fit the comment length limit._');
  else
    sections.push(renderTaskTable(tasks, level.table === 'compact' ? { fileNames: 0, titleChars: 60 } : {}));
  if (level.mermaid !== 'omitted') sections.push(renderMermaid(tasks, { titleChars: level.mermaid }));
  sections.push(
    '<sub>Managed by claude-cluster: this comment is the record of the run; edits are overwritten.</sub>',
  );
  return sections.join('\n\n');
}

/** The hidden, machine-readable block holding the whole record. */
function renderHiddenBlock(record: RunRecord): string {
  const encoded = Buffer.from(JSON.stringify(record), 'utf8').toString('base64url');
  return `<!-- ${RUN_RECORD_MARKER}\n${encoded}\n-->`;
}

/**
 * Renders the plan comment: a visible part (title, task table, Mermaid graph, budget estimate, who planned it) and
 * the hidden block `<!-- claude-cluster:run-record v1\n<base64url of JSON>\n-->` at the end. The visible part shrinks
 * (Mermaid titles, then table detail, then both) to keep the body within `view.maxLength`; the hidden block is
 * never cut. Throws an InputError when the record or its plan is invalid, or when even the smallest view with the
 * record does not fit (a plan with very long prompts).
 */
export function renderPlanRecord(record: RunRecord, view: PlanRecordView): string {
  const maxLength = view.maxLength ?? GITHUB_BODY_LIMIT;
  checkMaxLength(maxLength);
  const checked = RunRecordSchema.safeParse(record, { reportInput: true });
  if (!checked.success) {
    const problems = describeZodIssues(checked.error.issues, RunRecordSchema, 'the run record');
    throw new InputError(
      'the run record cannot be written',
      problems.map((problem) => problem.message),
    );
  }
  // The parser refuses a record whose plan fails validation, so a plan that fails it is never written.
  const plan = validatePlan(checked.data.plan, { maxTasks: HARD_MAX_TASKS });
  if (!plan.ok) throw new InputError('the plan of the run record is invalid', plan.problems);
  const hidden = renderHiddenBlock(checked.data);
  const smallest = `${renderVisible(checked.data, view, VIEW_LEVELS[VIEW_LEVELS.length - 1]!)}\n\n${hidden}`;
  if (smallest.length > maxLength) {
    const longest = [...checked.data.plan.tasks].sort((a, b) => b.prompt.length - a.prompt.length)[0];
    throw new InputError(
      `the plan of issue #${record.issueNumber} is too large to record in one GitHub comment (${smallest.length} characters with the record; the limit is ${maxLength})`,
      [
        `shorten the task prompts${longest === undefined ? '' : ` (the longest, task \`${longest.id}\`, has ${longest.prompt.length} characters)`} or split the issue into smaller ones`,
      ],
    );
  }
  return fitToLength(
    VIEW_LEVELS,
    (level) => ({ body: renderVisible(checked.data, view, level), footer: hidden }),
    maxLength,
    '_… Cut to fit the comment length limit._',
  );
}

/**
 * Reads the run record from a comment body, or returns undefined when there is none or it is malformed (bad
 * base64, bad JSON, a record that fails the schema or whose plan fails validation). It never throws.
 *
 * Trust: anyone who can comment (or write an issue body) can paste a block that parses. Only call this on
 * comments written by the App or the workflow's bot account; the caller filters by author before trusting what it
 * returns (see `findPlanComment`). When a body holds several blocks, the last one counts: the record is always
 * the end of the comments we write.
 */
export function parsePlanRecord(commentBody: string): RunRecord | undefined {
  if (typeof commentBody !== 'string') return undefined;
  let encoded: string | undefined;
  for (const match of commentBody.matchAll(HIDDEN_BLOCK)) encoded = match[1];
  if (encoded === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const plan = validatePlan(parsed.data.plan, { maxTasks: HARD_MAX_TASKS });
  return plan.ok ? { ...parsed.data, plan: plan.plan } : undefined;
}
