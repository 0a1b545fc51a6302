import { z } from 'zod';
import { describeZodIssues } from '../core/config/describe-zod-issue.ts';
import { InputError } from '../core/errors/errors.ts';

/**
 * The webhook fields the App relies on, one schema per event; every other field of a payload is dropped unread.
 * Probot has verified the delivery's signature, so a payload failing these schemas means GitHub changed a shape.
 */

/** Who acted: `User`, `Bot` or `Organization`. */
const SenderSchema = z.object({ login: z.string().min(1), type: z.string().min(1) });

const RepositorySchema = z.object({
  name: z.string().min(1),
  full_name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  default_branch: z.string().min(1),
  /** The repository's web address (GitHub Enterprise Server has its own host), for links to workflow runs. */
  html_url: z.string().optional(),
});

const IssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullish(),
  /** Present when the issue is a pull request. */
  pull_request: z.object({}).loose().nullish(),
});

/** `issues.labeled`. */
export const IssueLabeledEventSchema = z.object({
  issue: IssueSchema,
  label: z.object({ name: z.string() }),
  repository: RepositorySchema,
  sender: SenderSchema,
});

/** `issue_comment.created`. */
export const IssueCommentCreatedEventSchema = z.object({
  issue: IssueSchema,
  comment: z.object({ id: z.number().int().positive(), body: z.string() }),
  repository: RepositorySchema,
  sender: SenderSchema,
});

/** `workflow_run.completed`: the run-name is `display_title`; `name` is the workflow's name. */
export const WorkflowRunCompletedEventSchema = z.object({
  workflow_run: z.object({
    id: z.number().int().positive(),
    display_title: z.string().optional(),
    conclusion: z.string().nullish(),
    html_url: z.string().optional(),
  }),
  repository: RepositorySchema,
});

/** `workflow_job.completed`: a job carries its workflow run's id, not the run-name. */
export const WorkflowJobEventSchema = z.object({
  workflow_job: z.object({
    id: z.number().int().positive(),
    run_id: z.number().int().positive(),
    /** `task <id>` for the cluster workflow's task jobs. */
    name: z.string().optional(),
    /** Set once the job completed: `success`, `failure`, `cancelled`, `timed_out`… */
    conclusion: z.string().nullish(),
    html_url: z.string().optional(),
  }),
  repository: RepositorySchema,
});

/** A branch end of a pull request; `repo` is null when the fork it came from was deleted. */
const BranchTipSchema = z.object({
  ref: z.string().min(1),
  repo: z.object({ full_name: z.string().min(1) }).nullable(),
});

/** `pull_request.closed` (merged or not). */
export const PullRequestClosedEventSchema = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    merged: z.boolean().nullish(),
    head: BranchTipSchema,
    base: BranchTipSchema,
  }),
  repository: RepositorySchema,
});

/** The fields of `GET /repos/{owner}/{repo}/pulls/{pull_number}` a command on a pull request uses. */
export const PullRequestSchema = z.object({ head: BranchTipSchema, base: BranchTipSchema });

/** A webhook's repository fields. */
export type EventRepository = z.infer<typeof RepositorySchema>;
/** A webhook's sender fields. */
export type EventSender = z.infer<typeof SenderSchema>;
/** `issues.labeled` fields. */
export type IssueLabeledEvent = z.infer<typeof IssueLabeledEventSchema>;
/** `issue_comment.created` fields. */
export type IssueCommentCreatedEvent = z.infer<typeof IssueCommentCreatedEventSchema>;
/** `workflow_run.completed` fields. */
export type WorkflowRunCompletedEvent = z.infer<typeof WorkflowRunCompletedEventSchema>;
/** `workflow_job` fields. */
export type WorkflowJobEvent = z.infer<typeof WorkflowJobEventSchema>;
/** `pull_request.closed` fields. */
export type PullRequestClosedEvent = z.infer<typeof PullRequestClosedEventSchema>;

/**
 * Validates a webhook payload against its event's schema. Throws an InputError naming each missing or mistyped field
 * (Probot logs it with the delivery id; nothing is acted on).
 */
export function parsePayload<Schema extends z.ZodType>(
  schema: Schema,
  payload: unknown,
  eventName: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(payload, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new InputError(
    `the ${eventName} webhook payload lacks fields claude-cluster needs; check the App's webhook settings and GitHub's changelog`,
    describeZodIssues(parsed.error.issues, schema, `the ${eventName} payload`).map(
      (problem) => problem.message,
    ),
  );
}
