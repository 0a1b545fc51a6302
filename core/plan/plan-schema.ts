import { z } from 'zod';

/** Task ids become parts of git branch names, so they are strict slugs. */
export const TASK_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Longest task id; keeps branch names well below git's and GitHub's limits. */
export const TASK_ID_MAX_LENGTH = 40;
/** GitHub's matrix limit: no plan may hold more tasks than one matrix can run. */
export const HARD_MAX_TASKS = 256;
/** Default `max_tasks` when the repository config does not set one. */
export const DEFAULT_MAX_TASKS = 20;

/** A task id: lowercase letters, digits and single dashes, at most 40 characters. */
export const TaskIdSchema = z
  .string()
  .max(TASK_ID_MAX_LENGTH)
  .regex(TASK_ID_PATTERN)
  .describe(
    'Slug of lowercase letters, digits and `-`, at most 40 characters; part of the task branch name.',
  );

/**
 * One subtask of a plan. Structural checks only; the cross-task checks (unknown dependency, cycles,
 * duplicates) live in `validate-plan.ts` so they can report every problem at once.
 */
export const TaskSchema = z
  .object({
    id: z.string().describe('Slug of lowercase letters, digits and `-`, at most 40 characters.'),
    title: z.string().min(1).describe('One-line title, used in commit messages and reports.'),
    prompt: z.string().describe('The instruction the agent receives; must not be empty.'),
    depends_on: z.array(z.string()).default([]).describe('Ids of tasks whose work this task builds on.'),
    files: z
      .array(z.string())
      .default([])
      .describe('Globs of the files the task expects to touch; used to keep overlapping tasks apart.'),
    estimate: z
      .number()
      .positive()
      .optional()
      .describe('Relative duration estimate for scheduling; defaults to 1.'),
  })
  .strict();

/** A plan: the tasks of one run. */
export const PlanSchema = z.object({ tasks: z.array(TaskSchema) }).strict();

/** A task after schema parsing (defaults applied). */
export type Task = z.infer<typeof TaskSchema>;
/** A plan after schema parsing (defaults applied). */
export type Plan = z.infer<typeof PlanSchema>;
/** The plan's input shape, before defaults (what a user writes). */
export type PlanInput = z.input<typeof PlanSchema>;
