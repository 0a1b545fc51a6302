import { z } from 'zod';
import { OnConflictSchema } from '../core/config/config-schema.ts';
import { InputError } from '../core/errors/errors.ts';
import { RunIdSchema } from '../core/integrate/branch-names.ts';
import { HARD_MAX_TASKS } from '../core/plan/plan-schema.ts';

const intFlag = (flag: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${flag} takes a whole number` })
    .int({ message: `${flag} takes a whole number` })
    .min(min, { message: `${flag} must be at least ${min}` })
    .max(max, { message: `${flag} must be at most ${max}` });

/** Options shared by the commands that read an issue and a repository. */
const IssueOptionsSchema = z.object({
  issue: z.string({ message: '--issue <file|-> is required: the Markdown issue to work on' }).min(1),
  repo: z.string().default('.'),
  config: z.string().optional(),
  agent: z
    .string()
    .min(1, { message: '--agent takes a command, e.g. --agent "my-agent --headless"' })
    .optional(),
  json: z.boolean().default(false),
});

/** `claude-cluster run` options, validated. */
export const RunOptionsSchema = IssueOptionsSchema.extend({
  base: z.string().min(1).optional(),
  parallel: intFlag('--parallel', 1, HARD_MAX_TASKS).optional(),
  onConflict: z
    .enum(OnConflictSchema.options, { message: '--on-conflict takes resolve, retry or skip' })
    .optional(),
  verify: z
    .string()
    .min(1, { message: '--verify takes a shell command, e.g. --verify "npm test"' })
    .optional(),
  taskTimeout: z.coerce
    .number({ message: '--task-timeout takes a number of seconds' })
    .positive({ message: '--task-timeout must be more than 0 seconds' })
    .max(6 * 3600, { message: '--task-timeout must be at most 21600 seconds (6 hours)' })
    .optional(),
  runId: RunIdSchema.optional(),
  out: z.string().min(1).optional(),
});

/** `claude-cluster plan` options, validated. */
export const PlanOptionsSchema = IssueOptionsSchema;

/** `claude-cluster validate` options, validated. */
export const ValidateOptionsSchema = z.object({
  config: z.string().optional(),
  repo: z.string().default('.'),
});

/** `claude-cluster doctor` options, validated. */
export const DoctorOptionsSchema = z.object({
  repo: z.string().default('.'),
  base: z.string().min(1).optional(),
  agent: z
    .string()
    .min(1, { message: '--agent takes a command, e.g. --agent "my-agent --headless"' })
    .optional(),
  config: z.string().optional(),
  json: z.boolean().default(false),
});

/** `claude-cluster init` options, validated. */
export const InitOptionsSchema = z.object({
  repo: z.string().default('.'),
  action: z
    .string()
    .min(1, { message: '--action takes owner/repo@ref, e.g. --action my-org/claude-cluster@v1' })
    .optional(),
  zeroHosting: z.boolean().default(false),
  force: z.boolean().default(false),
});

export type RunOptions = z.infer<typeof RunOptionsSchema>;
export type PlanOptions = z.infer<typeof PlanOptionsSchema>;
export type ValidateOptions = z.infer<typeof ValidateOptionsSchema>;
export type InitOptions = z.infer<typeof InitOptionsSchema>;

const FLAG_NAMES: Record<string, string> = {
  onConflict: '--on-conflict',
  taskTimeout: '--task-timeout',
  runId: '--run-id',
  zeroHosting: '--zero-hosting',
};

/** Parses a command's raw options; every problem names its flag. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const flag = FLAG_NAMES[key] ?? `--${key}`;
    return issue.message.includes('--') ? issue.message : `${flag}: ${issue.message}`;
  });
  throw new InputError('invalid command-line options', problems);
}
