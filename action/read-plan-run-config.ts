import { z } from 'zod';
import { type Config, ConfigSchema } from '../core/config/config-schema.ts';
import { InputError } from '../core/errors/errors.ts';
import type { Octokit } from '../core/github/octokit-types.ts';
import { runBranches } from '../core/integrate/branch-names.ts';
import { readLedgerFromGitHub } from '../core/orchestrate/github-ledger.ts';
import { readRunStart } from '../core/orchestrate/run-start.ts';
import type { ActionInputs } from './action-inputs.ts';
import { applyActionInputs } from './load-action-config.ts';

/**
 * Where the App recorded the run a planning job plans, sent in plan mode's `task` input. The prefix is checked as the
 * configuration checks it: it names the branch the job reads.
 */
const PlanLocationSchema = z.strictObject({
  branch_prefix: ConfigSchema.shape.branch_prefix.unwrap(),
});

/** The largest location accepted: one short object, never a document. */
const MAX_LOCATION_INPUT = 1024;

/**
 * Plan mode's `task` input: the run's `{"branch_prefix": …}` when the App dispatched the job, undefined when the
 * input is empty (or the workflow input's default `[]`: a job not started by the App). Anything else is refused.
 */
export function parsePlanLocation(text: string | undefined): { branchPrefix: string } | undefined {
  if (text === undefined || text.trim() === '' || text.trim() === '[]') return undefined;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: this is workflow syntax shown to the user.
  const fix = 'pass the `tasks` input the App dispatched (`task: ${{ inputs.tasks }}`), or leave `task` out';
  let raw: unknown;
  try {
    raw = text.length > MAX_LOCATION_INPUT ? undefined : JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = PlanLocationSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      'in plan mode the `task` input must be the run\'s location as JSON, `{"branch_prefix": "<prefix>"}`',
      [...parsed.error.issues.map((issue) => `\`${issue.path.join('.') || 'task'}\`: ${issue.message}`), fix],
    );
  }
  return { branchPrefix: parsed.data.branch_prefix };
}

/** What {@link planRunConfig} needs. */
export interface PlanRunConfigInput {
  octokit: Octokit;
  owner: string;
  repo: string;
  inputs: ActionInputs;
  /** The checkout's configuration with the inputs applied: today's behaviour when no run is recorded. */
  config: Config;
  log: { info(message: string): void };
}

/**
 * The configuration a planning job plans with. When the App dispatched it (plan mode's `task` input names the run's
 * branch prefix), the one the App recorded in the run's start entry, read through the API from the run's ledger
 * branch, with the action inputs applied over it as in task mode: the checkout's file may not be the one the run
 * started with (the owner's `.github` fallback, or a change since). Otherwise, and for a run whose start entry records
 * none, the checkout's.
 */
export async function planRunConfig(input: PlanRunConfigInput): Promise<Config> {
  const location = parsePlanLocation(input.inputs.task);
  if (location === undefined) return input.config;
  const runId = input.inputs['run-id'];
  if (runId === undefined) {
    throw new InputError(
      'plan mode got the run’s branch prefix in `task` but no `run-id` to find the run by',
      ['pass the `run-id` input the App dispatched, or leave `task` out'],
    );
  }
  const ledgerBranch = runBranches(location.branchPrefix, runId).ledger;
  const { ledger } = await readLedgerFromGitHub(
    input.octokit,
    { owner: input.owner, repo: input.repo },
    ledgerBranch,
    runId,
  );
  const recorded = readRunStart(ledger)?.start.config;
  if (recorded === undefined) {
    input.log.info(
      `run ${runId} records no configuration on \`${ledgerBranch}\`: planning with the repository's .github/claude-cluster.yml`,
    );
    return input.config;
  }
  input.log.info(`planning with the configuration run ${runId} started with (from \`${ledgerBranch}\`)`);
  return { ...applyActionInputs(recorded, input.inputs), branch_prefix: location.branchPrefix };
}
