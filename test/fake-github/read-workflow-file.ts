import { parse } from 'yaml';
import { z } from 'zod';
import { ApiFailure } from './api-response.ts';
import { WorkflowPermissionsSchema } from './token-permissions.ts';

const StepSchema = z
  .object({
    id: z.string().optional(),
    name: z.string().optional(),
    uses: z.string().optional(),
    run: z.string().optional(),
    with: z.record(z.string(), z.unknown()).optional(),
    env: z.record(z.string(), z.unknown()).optional(),
    'working-directory': z.string().optional(),
  })
  .loose();

/** `concurrency: group` or `{ group, cancel-in-progress }`, at workflow or job level. */
const ConcurrencySchema = z
  .union([
    z.string(),
    z.object({ group: z.string(), 'cancel-in-progress': z.union([z.boolean(), z.string()]).optional() }),
  ])
  .transform((value) =>
    typeof value === 'string'
      ? { group: value, cancelInProgress: false as boolean | string }
      : { group: value.group, cancelInProgress: value['cancel-in-progress'] ?? (false as boolean | string) },
  );

const JobSchema = z
  .object({
    name: z.string().optional(),
    permissions: WorkflowPermissionsSchema.optional(),
    concurrency: ConcurrencySchema.optional(),
    if: z.union([z.string(), z.boolean()]).optional(),
    needs: z.union([z.string(), z.array(z.string())]).optional(),
    strategy: z
      .object({
        'max-parallel': z.union([z.number(), z.string()]).optional(),
        'fail-fast': z.union([z.boolean(), z.string()]).optional(),
        matrix: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
      })
      .optional(),
    env: z.record(z.string(), z.unknown()).optional(),
    steps: z.array(StepSchema).default([]),
  })
  .loose();

const InputSchema = z
  .object({
    description: z.string().optional(),
    required: z.boolean().optional(),
    type: z.enum(['string', 'number', 'boolean', 'choice', 'environment']).optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(z.union([z.string(), z.number()])).optional(),
  })
  .loose();

/** `types: labeled` and `types: [labeled]` mean the same. */
const NamesSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((names) => (typeof names === 'string' ? [names] : names));

// Strict: a filter the fake does not apply (paths, branches-ignore, …) would start runs GitHub would not start.
const EventFilterSchema = z
  .object({
    types: NamesSchema.optional(),
    branches: NamesSchema.optional(),
    workflows: NamesSchema.optional(),
  })
  .strict();

/** The events whose `on:` entries the fake reads and fires (besides `workflow_dispatch`). */
export const TRIGGER_EVENTS = ['push', 'issues', 'issue_comment', 'pull_request', 'workflow_run'] as const;
/** An event the fake starts workflows on. */
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

const WorkflowSchema = z
  .object({
    name: z.string().optional(),
    'run-name': z.string().optional(),
    on: z.union([z.string(), z.array(z.string()), z.record(z.string(), z.unknown())]),
    concurrency: ConcurrencySchema.optional(),
    permissions: WorkflowPermissionsSchema.optional(),
    env: z.record(z.string(), z.unknown()).optional(),
    jobs: z.record(z.string(), JobSchema),
  })
  .loose();

/** A step of a workflow job. */
export type WorkflowStep = z.infer<typeof StepSchema>;
/** A job of a workflow. */
export type WorkflowJob = z.infer<typeof JobSchema>;
/** A workflow_dispatch input declaration. */
export type WorkflowInput = z.infer<typeof InputSchema>;
/** The filters of one `on:` event: activity types, branches (glob patterns), workflow names (`workflow_run`). */
export type EventFilter = z.infer<typeof EventFilterSchema>;

/** A parsed workflow file. */
export interface Workflow {
  path: string;
  name: string;
  runName: string | undefined;
  /** undefined when the workflow has no `workflow_dispatch` trigger. */
  dispatchInputs: Record<string, WorkflowInput> | undefined;
  /** The `on:` entries of {@link TRIGGER_EVENTS} with their filters (empty filters when the entry has none). */
  triggers: Partial<Record<TriggerEvent, EventFilter>>;
  concurrency: { group: string; cancelInProgress: boolean | string } | undefined;
  /** The workflow's `permissions:` for its jobs' `GITHUB_TOKEN` (a job's own `permissions:` replaces it). */
  permissions: z.infer<typeof WorkflowPermissionsSchema> | undefined;
  env: Record<string, unknown>;
  jobs: [string, WorkflowJob][];
}

/** Parses a workflow file; throws an Error naming the file and the problem when it is not a workflow. */
export function readWorkflowFile(text: string, path: string): Workflow {
  const parsed = WorkflowSchema.safeParse(parse(text));
  if (!parsed.success) {
    throw new Error(
      `${path} is not a workflow the fake can read: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const workflow = parsed.data;
  const on = workflow.on;
  const entries: Record<string, unknown> =
    typeof on === 'string'
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((name) => [name, null]))
        : on;
  let dispatchInputs: Record<string, WorkflowInput> | undefined;
  if ('workflow_dispatch' in entries) {
    const inputs = (entries.workflow_dispatch as { inputs?: unknown } | null)?.inputs ?? {};
    dispatchInputs = z.record(z.string(), InputSchema).parse(inputs);
  }
  const triggers: Partial<Record<TriggerEvent, EventFilter>> = {};
  for (const event of TRIGGER_EVENTS) {
    if (!(event in entries)) continue;
    const filter = EventFilterSchema.safeParse(entries[event] ?? {});
    if (!filter.success) {
      throw new Error(
        `${path} is not a workflow the fake can read: on.${event}: ${filter.error.issues.map((i) => i.message).join('; ')} (the fake applies only types, branches and workflows)`,
      );
    }
    triggers[event] = filter.data;
  }
  return {
    path,
    name: workflow.name ?? path,
    runName: workflow['run-name'],
    dispatchInputs,
    triggers,
    concurrency: workflow.concurrency,
    permissions: workflow.permissions,
    env: workflow.env ?? {},
    jobs: Object.entries(workflow.jobs),
  };
}

/**
 * Checks dispatch inputs against the workflow's declarations as GitHub does (422 for unknown inputs, missing
 * required ones, choices outside the options, more than 25) and applies defaults. Returns the `inputs` context
 * (numbers and booleans typed) and the event's `inputs` (all strings).
 */
export function checkDispatchInputs(
  workflow: Workflow,
  provided: Record<string, unknown>,
): { context: Record<string, unknown>; event: Record<string, string> } {
  const declared = workflow.dispatchInputs;
  if (declared === undefined) throw new ApiFailure(422, "Workflow does not have 'workflow_dispatch' trigger");
  const names = Object.keys(provided);
  if (names.length > 25)
    throw new ApiFailure(422, `you may only define up to 25 \`inputs\` for a \`workflow_dispatch\` event`);
  const unexpected = names.filter((name) => !(name in declared));
  if (unexpected.length > 0)
    throw new ApiFailure(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  const context: Record<string, unknown> = {};
  const event: Record<string, string> = {};
  for (const [name, input] of Object.entries(declared)) {
    const raw = provided[name] ?? input.default;
    if (raw === undefined || raw === '') {
      if (input.required === true) throw new ApiFailure(422, `Required input '${name}' not provided`);
      context[name] = input.type === 'boolean' ? false : '';
      event[name] = input.type === 'boolean' ? 'false' : '';
      continue;
    }
    const text = String(raw);
    if (input.type === 'choice' && !(input.options ?? []).map(String).includes(text)) {
      throw new ApiFailure(
        422,
        `Provided value '${text}' for input '${name}' not in the list of allowed values`,
      );
    }
    if (input.type === 'number' && !Number.isFinite(Number(text))) {
      throw new ApiFailure(422, `Provided value '${text}' for input '${name}' is not a valid number`);
    }
    if (input.type === 'boolean' && text !== 'true' && text !== 'false') {
      throw new ApiFailure(422, `Provided value '${text}' for input '${name}' is not a valid boolean`);
    }
    context[name] =
      input.type === 'number' ? Number(text) : input.type === 'boolean' ? text === 'true' : text;
    event[name] = text;
  }
  const size = Object.values(event).reduce((sum, value) => sum + value.length, 0);
  if (size > 65_535)
    throw new ApiFailure(422, `inputs are too large: ${size} characters; the limit is 65,535`);
  return { context, event };
}
