import { z } from 'zod';
import { type Config, ConfigSchema } from '../config/config-schema.ts';
import type { LedgerRecord } from '../integrate/read-ledger.ts';
import { PlanSchema } from '../plan/plan-schema.ts';

/**
 * What the App writes into a run's start entry (its excerpt block, as JSON): the plan and how the run was asked
 * for, so every later event re-derives the run from the integration branch alone.
 */
export const RunStartSchema = z.object({
  /** Absent while the planning workflow works on it; a `plan` entry brings it later. */
  plan: PlanSchema.optional(),
  source: z.enum(['block', 'task-list', 'agent']),
  requestedBy: z.string(),
  /** Text given after `/cluster`, added to every task's prompt. */
  extraInstructions: z.string().optional(),
  /** `/cluster plan` or `approval: plan`: no task starts before `/cluster approve`. */
  needsApproval: z.boolean(),
  /** Set for runs started on a pull request: the PR the result goes into. */
  pullRequest: z.number().int().positive().optional(),
  /**
   * The issue's text as it was when the run started (sanitized: what readers saw), for the agents' context: task
   * jobs read it from the branch instead of asking the API, and every task sees the text the plan was made from.
   */
  issueBody: z.string().max(65_536).optional(),
  /**
   * The effective configuration the run started with: validated, the owner's `.github` fallback applied, read by the
   * App from the default branch (never from a pull request's head). Every later event and every task job acts on it,
   * whatever the checkout's own file says. Absent in runs started before it was recorded.
   */
  config: ConfigSchema.optional(),
});

/** A run's start data. */
export type RunStart = z.infer<typeof RunStartSchema>;

/** The plan brought by a `plan` entry (from the planning workflow's record comment). */
export const PlanEntrySchema = z.object({
  plan: PlanSchema,
  source: z.enum(['block', 'task-list', 'agent']),
});

/** The run's plan: from its start entry, else from its latest `plan` entry; undefined while it is being planned. */
export function readRunPlan(ledger: LedgerRecord[], start: RunStart) {
  if (start.plan) return start.plan;
  const entry = ledger.findLast((record) => record.event === 'plan');
  if (entry?.event !== 'plan' || entry.excerpt === undefined) return undefined;
  try {
    const parsed = PlanEntrySchema.safeParse(JSON.parse(entry.excerpt));
    return parsed.success ? parsed.data.plan : undefined;
  } catch {
    return undefined;
  }
}

/** The start data of a run from its ledger, or undefined when the start entry carries none (a local run). */
export function readRunStart(
  ledger: LedgerRecord[],
): { start: RunStart; base: string; title: string } | undefined {
  const entry = ledger.find((record) => record.event === 'start');
  if (entry?.event !== 'start' || entry.excerpt === undefined) return undefined;
  try {
    const parsed = RunStartSchema.safeParse(JSON.parse(entry.excerpt));
    return parsed.success ? { start: parsed.data, base: entry.base, title: entry.title } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The configuration a decision about an existing run acts on: the one recorded in its start entry (the repository's
 * file now, for runs started before it was recorded), with `approval: plan` when the run was started to wait for
 * `/cluster approve`.
 */
export function runConfigOf(start: RunStart, current: Config): Config {
  const config = start.config ?? current;
  return start.needsApproval ? { ...config, approval: 'plan' } : config;
}
