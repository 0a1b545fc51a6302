import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPOSITORY_ROOT } from '../../scripts/build-action.ts';

/** Where the workflow templates live, relative to the repository root. */
export const TEMPLATES_DIRECTORY = 'workflows-templates';

const PermissionsSchema = z.record(z.string(), z.enum(['read', 'write', 'none']));

const StepSchema = z
  .object({
    id: z.string().optional(),
    uses: z.string().optional(),
    with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .loose();

const JobSchema = z
  .object({
    if: z.string().optional(),
    name: z.string().optional(),
    'timeout-minutes': z.number().optional(),
    permissions: PermissionsSchema.optional(),
    outputs: z.record(z.string(), z.string()).optional(),
    strategy: z
      .object({
        'fail-fast': z.boolean().optional(),
        'max-parallel': z.union([z.number(), z.string()]).optional(),
        matrix: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
      })
      .loose()
      .optional(),
    steps: z.array(StepSchema).default([]),
  })
  .loose();

const InputSchema = z
  .object({
    description: z.string().optional(),
    required: z.boolean().optional(),
    type: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(z.string()).optional(),
  })
  .loose();

/** The parts of a workflow file the template tests make promises about; anything else passes through. */
export const WorkflowSchema = z
  .object({
    name: z.string(),
    'run-name': z.string().optional(),
    on: z
      .object({
        workflow_dispatch: z.object({ inputs: z.record(z.string(), InputSchema).default({}) }).optional(),
        workflow_call: z
          .object({
            inputs: z.record(z.string(), InputSchema).default({}),
            secrets: z.record(z.string(), z.object({ required: z.boolean().optional() }).loose()).default({}),
            outputs: z.record(z.string(), z.object({ value: z.string() }).loose()).default({}),
          })
          .optional(),
      })
      .loose(),
    permissions: PermissionsSchema.optional(),
    concurrency: z.object({ group: z.string(), 'cancel-in-progress': z.boolean().optional() }).optional(),
    jobs: z.record(z.string(), JobSchema),
  })
  .loose();

/** A GitHub Actions expression, `${{ body }}`, as it appears in a workflow file. */
export function expression(body: string): string {
  return `\${{ ${body} }}`;
}

/** A parsed workflow template. */
export type Workflow = z.infer<typeof WorkflowSchema>;
/** One job of a workflow template. */
export type WorkflowJob = Workflow['jobs'][string];

/** A template's text, relative to the templates directory. */
export async function readTemplateText(file: string): Promise<string> {
  return readFile(join(REPOSITORY_ROOT, TEMPLATES_DIRECTORY, file), 'utf8');
}

/** A template parsed with `yaml` and checked against WorkflowSchema. */
export async function readWorkflowTemplate(file: string): Promise<Workflow> {
  return WorkflowSchema.parse(parse(await readTemplateText(file)));
}
