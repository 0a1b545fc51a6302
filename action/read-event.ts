import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeZodIssues } from '../core/config/describe-zod-issue.ts';
import { EnvironmentError, InputError } from '../core/errors/errors.ts';

const RepositorySchema = z.object({
  name: z.string().min(1),
  full_name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  default_branch: z.string().min(1),
});

const BranchTipSchema = z.object({
  ref: z.string().min(1),
  sha: z.string().min(1),
  /** null when the fork the pull request comes from was deleted. */
  repo: z.object({ full_name: z.string().min(1) }).nullable(),
});

/**
 * The fields of the triggering event (the JSON at `GITHUB_EVENT_PATH`) that the action relies on; every other field
 * is dropped. Issue fields are present for `issues` and `issue_comment` events, pull request fields for
 * `pull_request` events, `inputs` for `workflow_dispatch`.
 */
export const ActionEventSchema = z.object({
  repository: RepositorySchema,
  issue: z
    .object({
      number: z.number().int().positive(),
      title: z.string(),
      body: z.string().nullish(),
      /** Present when the issue is a pull request (`issue_comment` on a PR). */
      pull_request: z.object({}).loose().nullish(),
    })
    .optional(),
  pull_request: z
    .object({
      number: z.number().int().positive(),
      head: BranchTipSchema,
      base: BranchTipSchema,
    })
    .optional(),
  inputs: z.record(z.string(), z.unknown()).nullish(),
});

/** The triggering event, validated. */
export type ActionEvent = z.infer<typeof ActionEventSchema>;

/**
 * Validates an event payload. Throws an InputError naming each missing or mistyped field (the payload of an event
 * the action cannot work from, e.g. one without a repository).
 */
export function parseEvent(payload: unknown, source = 'the event payload'): ActionEvent {
  const parsed = ActionEventSchema.safeParse(payload, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = describeZodIssues(parsed.error.issues, ActionEventSchema, 'the event');
  throw new InputError(
    `${source} lacks fields claude-cluster needs; run the action on an issues, issue_comment, pull_request or workflow_dispatch event`,
    problems.map((problem) => problem.message),
  );
}

/**
 * Reads and validates the event JSON the runner wrote to `GITHUB_EVENT_PATH`. Throws an EnvironmentError when the
 * variable is unset or the file cannot be read or is not JSON (not running on a GitHub runner), and the InputError of
 * {@link parseEvent} when fields are missing.
 */
export async function readEvent(env: NodeJS.ProcessEnv = process.env): Promise<ActionEvent> {
  const path = env.GITHUB_EVENT_PATH ?? '';
  if (path.trim() === '') {
    throw new EnvironmentError(
      'GITHUB_EVENT_PATH is not set; the action runs inside a GitHub Actions job, where the runner sets it',
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EnvironmentError(`cannot read the event file ${path} (GITHUB_EVENT_PATH): ${String(error)}`, {
      cause: error,
    });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new EnvironmentError(`the event file ${path} (GITHUB_EVENT_PATH) is not JSON: ${String(error)}`, {
      cause: error,
    });
  }
  return parseEvent(payload, `the event file ${path}`);
}
