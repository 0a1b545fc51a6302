import { z } from 'zod';
import { DEFAULT_MAX_TASKS, HARD_MAX_TASKS } from '../plan/plan-schema.ts';

/** What to do when a finished task's branch conflicts with the integration branch. */
export const OnConflictSchema = z
  .enum(['resolve', 'retry', 'skip'])
  .describe(
    '`resolve`: the agent resolves the conflict in a worktree holding it; `retry`: the task is re-run on the current integration branch; `skip`: the branch is left unmerged and reported.',
  );

/** Budget caps in US dollars, enforced through the agent's own budget limit. */
export const BudgetSchema = z
  .object({
    per_task_usd: z
      .number()
      .positive()
      .default(5)
      .describe('Most one task (and each conflict resolution) may spend, in USD.'),
    per_run_usd: z
      .number()
      .positive()
      .default(50)
      .describe(
        'Most one whole run may spend, in USD; tasks not yet started are skipped once it is reached.',
      ),
  })
  .strict();

/** Git ref components: no leading dot or dash, no `..`, no characters git forbids. */
const BRANCH_PREFIX_PATTERN =
  /^(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

/**
 * `.github/claude-cluster.yml`: the repository's configuration, read by the CLI, the action and the App.
 * Every field has a default, so an empty file (or none) is valid.
 */
export const ConfigSchema = z
  .object({
    label: z.string().min(1).default('cluster').describe('Issue label that starts a run.'),
    command: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, {
        error: 'must be one lowercase word: a letter, then letters, digits or `-`',
      })
      .default('cluster')
      .describe('Comment command word: `/cluster` by default.'),
    max_parallel: z
      .number()
      .int()
      .min(1)
      .max(HARD_MAX_TASKS)
      .default(4)
      .describe('Most tasks running at the same time.'),
    max_tasks: z
      .number()
      .int()
      .min(1)
      .max(HARD_MAX_TASKS)
      .default(DEFAULT_MAX_TASKS)
      .describe('Most tasks one plan may hold (hard cap 256, GitHub’s matrix limit).'),
    budget: BudgetSchema.default({ per_task_usd: 5, per_run_usd: 50 }).describe('Spending caps in USD.'),
    model: z
      .string()
      .min(1)
      .optional()
      .describe('Claude model for every agent; Claude Code’s default if unset.'),
    max_turns: z.number().int().min(1).max(500).default(40).describe('Most agent turns per task.'),
    allowed_tools: z
      .array(z.string().min(1))
      .default(['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash'])
      .describe('Claude Code tools the agent may use without asking. Web access is off unless listed here.'),
    task_timeout_minutes: z
      .number()
      .positive()
      .max(360)
      .default(30)
      .describe(
        'Minutes before a task’s agent (its whole process group) is stopped; its partial work is kept.',
      ),
    on_conflict: OnConflictSchema.default('resolve'),
    verify: z
      .string()
      .min(1)
      .optional()
      .describe('Shell command run on the integration branch after the last merge, e.g. `npm test`.'),
    branch_prefix: z
      .string()
      .regex(BRANCH_PREFIX_PATTERN, {
        error:
          'must be a branch name prefix: `/`-separated parts of letters, digits, `.`, `_` and `-`, none starting with `.` or `-`, and no `..`',
      })
      .default('cluster')
      .describe(
        'Prefix of every branch a run creates: `<prefix>/<run-id>/integration`, `<prefix>/<run-id>/ledger`, `<prefix>/<run-id>/tasks/<task>`.',
      ),
    draft: z.boolean().default(true).describe('Open the pull request as a draft.'),
    approval: z
      .enum(['none', 'plan'])
      .default('none')
      .describe('`plan`: the App shows the plan and waits for `/cluster approve` before any task starts.'),
    allowed_bots: z
      .array(z.string().min(1))
      .default([])
      .describe('Bot accounts (e.g. `renovate[bot]`) allowed to start runs; other bots are ignored.'),
    allow_forks: z
      .boolean()
      .default(false)
      .describe(
        'Allow `/cluster` on pull requests from forks. Off by default: task jobs run with this repository’s secrets.',
      ),
    workflow: z
      .string()
      .regex(/^[A-Za-z0-9._-]+\.ya?ml$/, {
        message: 'must be a workflow file name in .github/workflows, like claude-cluster.yml',
      })
      .default('claude-cluster.yml')
      .describe('The workflow file (in .github/workflows) the App dispatches.'),
  })
  .strict();

/** The repository configuration with every default applied. */
export type Config = z.infer<typeof ConfigSchema>;
/** What a user may write in `.github/claude-cluster.yml`. */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** An `on_conflict` mode. */
export type OnConflict = z.infer<typeof OnConflictSchema>;

/** The configuration used when a repository has no config file. */
export function defaultConfig(): Config {
  return ConfigSchema.parse({});
}
