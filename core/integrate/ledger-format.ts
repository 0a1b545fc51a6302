import { z } from 'zod';
import type { WithheldChange } from '../git/withhold-changes.ts';

/**
 * The ledger: every run outcome is a commit on the run's ledger branch carrying `Cluster-*` trailers, so the
 * branch's first-parent history is the run's record. Merges carry the task's work (their second parent is the
 * projected merge on the integration branch, see project-merge.ts); failed, skipped and conflicted tasks, the run's
 * start, control steps and the verify result are empty commits. Reports are rebuilt from it.
 */

const json = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx): z.infer<T> => {
    try {
      return schema.parse(JSON.parse(text));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `not a JSON value of the expected shape: ${text.slice(0, 80)}`,
      });
      return z.NEVER;
    }
  });

const optionalNumber = z.coerce.number().finite().optional();

/** The run's first ledger commit; its excerpt block holds the plan as JSON when the run was started by the App. */
export const StartEntrySchema = z.object({
  event: z.literal('start'),
  run: z.string(),
  base: z.string(),
  baseCommit: z.string(),
  title: z.string().default(''),
  issue: optionalNumber,
  excerpt: z.string().optional(),
});

/**
 * A step in the run's life that is not a task outcome: `plan` (the plan arrived from the planning workflow; JSON in
 * the excerpt), `approve` (start after the plan was shown), `cancel` (start nothing more), `retry` (run `task` again on
 * the integration branch as it stands), `dispatch` (the tasks listed in the excerpt were sent to a workflow, see
 * core/orchestrate/dispatch-record.ts), `expire` (a job gave up waiting for its dispatch to be recorded: that dispatch
 * owns nothing), `close` (the run's pull request was closed unmerged: open no other).
 */
export const ControlEntrySchema = z.object({
  event: z.enum(['plan', 'approve', 'cancel', 'retry', 'dispatch', 'expire', 'close']),
  run: z.string(),
  task: z.string().optional(),
  by: z.string().optional(),
  excerpt: z.string().optional(),
});

/** A change left out of a task's commit because GitHub refuses it from a job's token (see withhold-changes.ts). */
export const WithheldChangeSchema = z.object({
  path: z.string(),
  reason: z.enum(['workflow', 'size']),
  bytes: z.number().int().nonnegative().optional(),
  patch: z.string().optional(),
  patchTruncated: z.boolean().optional(),
}) satisfies z.ZodType<WithheldChange>;

/** One task outcome. */
export const TaskEntrySchema = z.object({
  event: z.literal('task'),
  run: z.string(),
  task: z.string(),
  status: z.enum(['integrated', 'resolved', 'conflicted', 'failed', 'skipped']),
  branch: z.string().default(''),
  commit: z.string().optional(),
  files: json(z.array(z.string())).default([]),
  conflicts: json(z.array(z.string())).default([]),
  resolution: z.enum(['clean', 'resolved', 'retried', 'skipped', 'unresolved', 'none']).default('none'),
  costUsd: optionalNumber,
  turns: optionalNumber,
  durationMs: optionalNumber,
  attempts: optionalNumber,
  reason: z.string().optional(),
  summary: z.string().optional(),
  excerpt: z.string().optional(),
  /** Changes a maintainer must apply: kept as JSON in their own block (patches are multi-line). */
  withheld: json(z.array(WithheldChangeSchema)).optional(),
});

/** The verify command's result. */
export const VerifyEntrySchema = z.object({
  event: z.literal('verify'),
  run: z.string(),
  command: z.string(),
  passed: z.enum(['true', 'false']).transform((v) => v === 'true'),
  exitCode: z.coerce.number().int().nullable().catch(null),
  durationMs: z.coerce.number().default(0),
  excerpt: z.string().default(''),
});

/** Any ledger entry. */
export const LedgerEntrySchema = z.union([
  StartEntrySchema,
  TaskEntrySchema,
  VerifyEntrySchema,
  ControlEntrySchema,
]);

export type StartEntry = z.infer<typeof StartEntrySchema>;
export type TaskEntry = z.infer<typeof TaskEntrySchema>;
export type VerifyEntry = z.infer<typeof VerifyEntrySchema>;
export type ControlEntry = z.infer<typeof ControlEntrySchema>;
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** Trailer key of each entry field. Values are single-line; lists are JSON arrays. */
const TRAILER_KEYS: Record<string, string> = {
  event: 'Cluster-Event',
  run: 'Cluster-Run',
  base: 'Cluster-Base',
  baseCommit: 'Cluster-Base-Commit',
  title: 'Cluster-Title',
  issue: 'Cluster-Issue',
  by: 'Cluster-By',
  task: 'Cluster-Task',
  status: 'Cluster-Status',
  branch: 'Cluster-Branch',
  commit: 'Cluster-Commit',
  files: 'Cluster-Files',
  conflicts: 'Cluster-Conflicts',
  resolution: 'Cluster-Resolution',
  costUsd: 'Cluster-Cost-Usd',
  turns: 'Cluster-Turns',
  durationMs: 'Cluster-Duration-Ms',
  attempts: 'Cluster-Attempts',
  reason: 'Cluster-Reason',
  summary: 'Cluster-Summary',
  command: 'Cluster-Verify-Command',
  passed: 'Cluster-Verify-Passed',
  exitCode: 'Cluster-Verify-Exit',
};
const FIELD_BY_KEY = new Map(Object.entries(TRAILER_KEYS).map(([field, key]) => [key.toLowerCase(), field]));

/** The info string of the fenced block that holds an entry's excerpt (conflict hunks, verify output). */
const EXCERPT_INFO = 'cluster-excerpt';
/** The info string of the fenced block that holds a task's withheld changes as one line of JSON. */
const WITHHELD_INFO = 'cluster-withheld';
const TRAILER_VALUE_LIMIT = 1000;

function oneLine(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > TRAILER_VALUE_LIMIT ? `${flat.slice(0, TRAILER_VALUE_LIMIT - 1)}…` : flat;
}

function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** Plain input of `formatLedgerMessage`: an entry before parsing (lists as arrays, numbers as numbers). */
export type LedgerEntryInput =
  | (Omit<z.input<typeof StartEntrySchema>, 'issue'> & { issue?: number })
  | ControlEntry
  | (Omit<TaskEntry, 'files' | 'conflicts' | 'withheld'> & {
      files: string[];
      conflicts: string[];
      withheld?: WithheldChange[];
    })
  | (Omit<VerifyEntry, 'passed' | 'exitCode'> & { passed: boolean; exitCode: number | null });

/**
 * Marks a commit as bookkeeping for GitHub: a push whose head commit says it starts no `push` or `pull_request`
 * workflow. Every ledger commit carries it, so recording a step never runs the repository's CI.
 */
export const SKIP_CI = '[skip ci]';

/**
 * A commit message for an entry: a subject (ending in {@link SKIP_CI}), an optional prose body, the excerpt block,
 * then the trailers.
 */
export function formatLedgerMessage(subject: string, entry: LedgerEntryInput, body = ''): string {
  const lines: string[] = [];
  const { excerpt, withheld, ...fields } = entry as LedgerEntryInput & {
    excerpt?: string;
    withheld?: WithheldChange[];
  };
  for (const [field, value] of Object.entries(fields)) {
    const key = TRAILER_KEYS[field];
    if (key === undefined || value === undefined || value === null) continue;
    const text = Array.isArray(value) ? JSON.stringify(value) : String(value);
    lines.push(`${key}: ${oneLine(text)}`);
  }
  const parts = [`${oneLine(subject)} ${SKIP_CI}`];
  if (body.trim()) parts.push(body.trim());
  if (excerpt) {
    const fence = fenceFor(excerpt);
    parts.push(`${fence}${EXCERPT_INFO}\n${excerpt.replace(/\n$/, '')}\n${fence}`);
  }
  if (withheld !== undefined && withheld.length > 0) {
    // One line of JSON: no newline inside, so neither this block nor the excerpt can end the other.
    const text = JSON.stringify(withheld).replace(
      /[\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16)}`,
    );
    const fence = fenceFor(text);
    parts.push(`${fence}${WITHHELD_INFO}\n${text}\n${fence}`);
  }
  parts.push(lines.join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/** Reads the entry of a ledger commit message; `undefined` when the commit is not a ledger commit. */
export function parseLedgerMessage(message: string): LedgerEntry | undefined {
  const paragraphs = message.trimEnd().split(/\n{2,}/);
  const last = paragraphs.at(-1) ?? '';
  const raw: Record<string, string> = {};
  for (const line of last.split('\n')) {
    const match = /^([A-Za-z-]+):\s?(.*)$/.exec(line);
    const field = match ? FIELD_BY_KEY.get(match[1]!.toLowerCase()) : undefined;
    if (field) raw[field] = match![2]!;
  }
  if (raw.event === undefined) return undefined;
  const excerpt = new RegExp(`^(\`{3,})${EXCERPT_INFO}\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(message);
  if (excerpt) raw.excerpt = excerpt[2]!;
  // Looked for after the excerpt only: an excerpt (an agent's conflict hunks) cannot forge this block.
  const rest = excerpt ? message.slice(excerpt.index + excerpt[0].length) : message;
  const withheld = new RegExp(`^(\`{3,})${WITHHELD_INFO}\\n([^\\n]*)\\n\\1$`, 'm').exec(rest);
  if (withheld) raw.withheld = withheld[2]!;
  const parsed = LedgerEntrySchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
