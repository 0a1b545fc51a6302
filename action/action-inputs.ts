import { z } from 'zod';
import { OnConflictSchema } from '../core/config/config-schema.ts';
import { RunIdSchema } from '../core/integrate/branch-names.ts';

/** The Claude Code version the action installs unless `claude-code-version` says otherwise. */
export const PINNED_CLAUDE_CODE_VERSION = '2.1.330';

/** An unset input arrives as ''; it means "use the config file's value or the default". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

const booleanInput = (name: string) =>
  optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false'], { message: `\`${name}\` must be true or false` }))
      .transform((value) => value === 'true'),
  );

const numberInput = (name: string, { int = false, min = 0 }: { int?: boolean; min?: number } = {}) =>
  optional(
    z
      .string()
      .trim()
      .transform((value, ctx) => {
        const number = Number(value);
        if (!Number.isFinite(number) || (int && !Number.isInteger(number)) || number <= min) {
          ctx.addIssue({
            code: 'custom',
            message: `\`${name}\` must be ${int ? 'a whole number' : 'a number'} greater than ${min} (got \`${value}\`)`,
          });
          return z.NEVER;
        }
        return number;
      }),
  );

/**
 * Every input of `action.yml`, as strings from the runner, validated and typed. Keys are the input names; a test
 * checks that this schema, action.yml and the README's input table list exactly the same inputs.
 */
export const ActionInputsSchema = z.object({
  /** `plan` (plan the issue, publish the plan and the ready matrix) or `task` (run one matrix entry). */
  mode: z.enum(['plan', 'task'], { message: '`mode` must be plan or task' }),
  /** One matrix entry (JSON of a plan task) in task mode; the run's location from the App in plan mode. */
  task: optional(z.string()),
  /** The run id, part of every branch name; from the workflow_dispatch input. */
  'run-id': optional(RunIdSchema),
  /** The issue to plan (plan mode) or work for; defaults to the event's issue. */
  'issue-number': numberInput('issue-number', { int: true }),
  /** Branch the integration branch starts from when it does not exist yet. */
  'base-ref': optional(z.string().min(1)),
  /** Token for git pushes and GitHub API calls. */
  'github-token': optional(z.string()),
  /** Anthropic API key for Claude Code. */
  'anthropic-api-key': optional(z.string()),
  /** Claude Code OAuth token (from `claude setup-token`). */
  'claude-code-oauth-token': optional(z.string()),
  /** Use Amazon Bedrock with the job's cloud credentials. */
  'use-bedrock': booleanInput('use-bedrock'),
  /** Use Google Vertex AI with the job's cloud credentials. */
  'use-vertex': booleanInput('use-vertex'),
  /** Claude model; config `model` otherwise. */
  model: optional(z.string().min(1)),
  /** Most agent turns; config `max_turns` otherwise. */
  'max-turns': numberInput('max-turns', { int: true }),
  /** Most one task may spend in USD; config `budget.per_task_usd` otherwise. */
  'budget-usd': numberInput('budget-usd'),
  /** Comma- or newline-separated Claude Code tools; config `allowed_tools` otherwise. */
  'allowed-tools': optional(
    z.string().transform((value) =>
      value
        .split(/[,\n]/)
        .map((tool) => tool.trim())
        .filter(Boolean),
    ),
  ),
  /** Extra Claude Code CLI arguments, e.g. `--append-system-prompt "…"`. */
  'claude-args': optional(z.string()),
  /** resolve | retry | skip; config `on_conflict` otherwise. */
  'on-conflict': optional(OnConflictSchema),
  /** Command run on the integration branch after the merge; config `verify` otherwise. */
  verify: optional(z.string().min(1)),
  /** Claude Code version installed from the npm registry. */
  'claude-code-version': z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, {
        message: '`claude-code-version` must be an exact version like 2.1.330',
      })
      .default(PINNED_CLAUDE_CODE_VERSION),
  ),
  /** A command run by the engine's agent contract instead of Claude Code. */
  agent: optional(z.string().min(1)),
});

/** Validated action inputs. */
export type ActionInputs = z.infer<typeof ActionInputsSchema>;
/** The input names. */
export type ActionInputName = keyof ActionInputs;
/** Every input name, in action.yml order. */
export const ACTION_INPUT_NAMES = Object.keys(ActionInputsSchema.shape) as ActionInputName[];

/** Outputs of each mode; a test checks they match action.yml. */
export const ACTION_OUTPUT_NAMES = [
  'plan',
  'matrix',
  'task-count',
  'run-id',
  'status',
  'branch',
  'commit',
  'integrated',
  'conflicts',
  'cost-usd',
  'turns',
] as const;
export type ActionOutputName = (typeof ACTION_OUTPUT_NAMES)[number];
