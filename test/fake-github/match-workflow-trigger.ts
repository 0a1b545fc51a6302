import picomatch from 'picomatch';
import { z } from 'zod';
import { TRIGGER_EVENTS, type TriggerEvent, type Workflow } from './read-workflow-file.ts';

/** The account a workflow job's `GITHUB_TOKEN` acts as. */
export const WORKFLOW_TOKEN_LOGIN = 'github-actions[bot]';

/** Activity types that start a workflow whose `on:` entry lists none; absent events start on every type. */
const DEFAULT_TYPES: Partial<Record<TriggerEvent, string[]>> = {
  pull_request: ['opened', 'synchronize', 'reopened'],
};

/** The parts of a webhook payload that decide which workflows it starts. */
export const TriggerFieldsSchema = z
  .object({
    action: z.string().optional(),
    /** `push`: the ref that moved, its new value (zeros when deleted) and the head commit. */
    ref: z.string().optional(),
    after: z.string().optional(),
    deleted: z.boolean().optional(),
    head_commit: z.object({ message: z.string() }).loose().nullable().optional(),
    repository: z.object({ full_name: z.string() }),
    sender: z.object({ login: z.string() }),
    issue: z.object({ title: z.string() }).loose().optional(),
    pull_request: z
      .object({
        number: z.number(),
        title: z.string(),
        base: z.object({ ref: z.string() }).loose(),
        head: z.object({ ref: z.string(), sha: z.string() }).loose(),
      })
      .loose()
      .optional(),
    workflow_run: z.object({ id: z.number(), head_branch: z.string().nullable() }).loose().optional(),
    workflow: z.object({ name: z.string() }).loose().optional(),
  })
  .loose();

/** The fields of a payload that {@link workflowMatchesEvent} reads. */
export type TriggerFields = z.infer<typeof TriggerFieldsSchema>;

/** The commit-message markers that keep `push` and `pull_request` workflows from starting, as GitHub documents them. */
const SKIP_MARKERS = ['[skip ci]', '[ci skip]', '[no ci]', '[skip actions]', '[actions skip]'];

/**
 * Whether a head commit's message asks GitHub to start no `push` or `pull_request` workflow: one of the skip markers
 * anywhere, or a `skip-checks: true` (or `skip-checks:true`) trailer ending the message.
 */
export function skipsWorkflows(message: string): boolean {
  return (
    SKIP_MARKERS.some((marker) => message.includes(marker)) || /\n\s*\nskip-checks: ?true\s*$/.test(message)
  );
}

/** Whether the fake starts workflows on this event at all. */
export function isTriggerEvent(event: string): event is TriggerEvent {
  return (TRIGGER_EVENTS as readonly string[]).includes(event);
}

/**
 * GitHub's rule against loops: an event caused with a workflow's `GITHUB_TOKEN` (sent by `github-actions[bot]`)
 * starts no workflow, except `workflow_dispatch` (a run the token dispatched is a new run) and `workflow_run` (the
 * completion of such a run, which `workflow_run` workflows follow).
 */
export function causedByWorkflowToken(event: TriggerEvent, fields: TriggerFields): boolean {
  return event !== 'workflow_run' && fields.sender.login.toLowerCase() === WORKFLOW_TOKEN_LOGIN;
}

/** The branch a `branches:` filter is matched against: a pushed branch, a pull request's base, a completed run's head branch. */
function filteredBranch(event: TriggerEvent, fields: TriggerFields): string | undefined {
  if (event === 'push') return /^refs\/heads\/(.+)$/.exec(fields.ref ?? '')?.[1];
  if (event === 'pull_request') return fields.pull_request?.base.ref;
  if (event === 'workflow_run') return fields.workflow_run?.head_branch ?? undefined;
  return undefined;
}

/**
 * Whether the workflow's `on:` entry for the event accepts this payload: its activity `types` (pull_request defaults
 * to opened, synchronize and reopened; other events accept every type), `branches` (glob patterns) and, for
 * `workflow_run`, the completed run's workflow `name` among `workflows` (which GitHub requires).
 */
export function workflowMatchesEvent(
  workflow: Workflow,
  event: TriggerEvent,
  fields: TriggerFields,
): boolean {
  const filter = workflow.triggers[event];
  if (filter === undefined) return false;
  const types = filter.types ?? DEFAULT_TYPES[event];
  if (types !== undefined && !types.includes(fields.action ?? '')) return false;
  if (filter.branches !== undefined) {
    const branch = filteredBranch(event, fields);
    if (branch === undefined || !picomatch(filter.branches)(branch)) return false;
  }
  if (event === 'workflow_run') {
    const name = fields.workflow?.name;
    if (name === undefined || !(filter.workflows ?? []).includes(name)) return false;
  }
  return true;
}
