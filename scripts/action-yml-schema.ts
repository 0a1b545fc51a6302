/**
 * The shape of `action.yml` (GitHub's action metadata syntax) as a zod schema, the single source of truth for
 * `schema/action-yml.schema.json`, which editors use. Run this file (`node scripts/action-yml-schema.ts`) to
 * rewrite the JSON Schema; `test/action-metadata/action-yml-schema.test.ts` fails when the committed file is stale
 * and validates action.yml with the zod schema. Written here because published validators reject `node24`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where the generated JSON Schema is committed, relative to the repository root. */
export const ACTION_YML_SCHEMA_FILE = 'schema/action-yml.schema.json';

/** Input and output ids: a letter or `_` first, then letters, digits, `-` or `_`. */
const IdSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, {
  message: 'an id starts with a letter or `_` and holds only letters, digits, `-` and `_`',
});

const InputSchema = z
  .object({
    description: z.string().min(1).describe('What the input is for; shown on the Marketplace.'),
    required: z
      .boolean()
      .optional()
      .describe('Whether the workflow must set it (GitHub does not enforce this; the action must).'),
    default: z
      .union([z.string(), z.number(), z.boolean()])
      .optional()
      .describe('Value used when the workflow does not set the input; may be an expression.'),
    deprecationMessage: z
      .string()
      .min(1)
      .optional()
      .describe('Warning shown when a workflow sets this input, e.g. what to use instead.'),
  })
  .strict();

const OutputSchema = z
  .object({
    description: z.string().min(1).describe('What the output holds.'),
    value: z.string().optional().describe('Composite actions only: the expression the output maps to.'),
  })
  .strict();

const CONDITION = 'Condition (an expression) under which the step runs, e.g. `runner.os == "Linux"`.';

const NodeRunsSchema = z
  .object({
    using: z.enum(['node20', 'node24']).describe('The Node.js runtime of a JavaScript action.'),
    main: z.string().min(1).describe('The entry file, relative to the action root, e.g. `dist/index.js`.'),
    pre: z.string().min(1).optional().describe('A file run before `main`.'),
    'pre-if': z.string().min(1).optional().describe(CONDITION),
    post: z.string().min(1).optional().describe('A file run at the end of the job, e.g. for cleanup.'),
    'post-if': z.string().min(1).optional().describe(CONDITION),
  })
  .strict();

const StepFields = {
  id: IdSchema.optional().describe('Step id, for `steps.<id>.outputs`.'),
  name: z.string().optional(),
  if: z.union([z.string(), z.boolean()]).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  'continue-on-error': z.union([z.boolean(), z.string()]).optional(),
  'working-directory': z.string().optional(),
};

const CompositeStepSchema = z.union([
  z
    .object({
      ...StepFields,
      run: z.string().min(1).describe('Commands to run.'),
      shell: z.string().min(1).describe('Shell of `run` (required in composite actions), e.g. `bash`.'),
    })
    .strict(),
  z
    .object({
      ...StepFields,
      uses: z.string().min(1).describe('Action to run, e.g. `actions/checkout@v5`.'),
      with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    })
    .strict(),
]);

const CompositeRunsSchema = z
  .object({
    using: z.literal('composite'),
    steps: z.array(CompositeStepSchema).min(1).describe('The steps the action runs.'),
  })
  .strict();

const DockerRunsSchema = z
  .object({
    using: z.literal('docker'),
    image: z.string().min(1).describe('`Dockerfile` path or `docker://` image.'),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    entrypoint: z.string().optional(),
    'pre-entrypoint': z.string().optional(),
    'pre-if': z.string().optional().describe(CONDITION),
    'post-entrypoint': z.string().optional(),
    'post-if': z.string().optional().describe(CONDITION),
    args: z.array(z.string()).optional(),
  })
  .strict();

/** Marketplace colours GitHub accepts for `branding.color`. */
const BRANDING_COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark',
] as const;

/** `action.yml` of a JavaScript (node20/node24), composite or Docker action. */
export const ActionMetadataSchema = z
  .object({
    name: z.string().min(1).describe('Name shown in the Actions tab and on the Marketplace.'),
    author: z.string().min(1).optional(),
    description: z.string().min(1).describe('A short description of the action.'),
    inputs: z
      .record(IdSchema, InputSchema)
      .optional()
      .describe('Inputs by id; workflows set them with `with:`, the action reads `INPUT_<ID>`.'),
    outputs: z.record(IdSchema, OutputSchema).optional().describe('Outputs by id.'),
    runs: z
      .discriminatedUnion('using', [NodeRunsSchema, CompositeRunsSchema, DockerRunsSchema])
      .describe('How the action runs.'),
    branding: z
      .object({
        icon: z
          .string()
          .regex(/^[a-z0-9-]+$/)
          .optional()
          .describe('A Feather icon name, e.g. `git-merge`.'),
        color: z.enum(BRANDING_COLORS).optional().describe('Background colour of the badge.'),
      })
      .strict()
      .optional()
      .describe('Marketplace badge.'),
  })
  .strict();

/** A parsed `action.yml`. */
export type ActionMetadata = z.infer<typeof ActionMetadataSchema>;

/** The JSON Schema of `action.yml`, generated from ActionMetadataSchema. */
export function actionYmlJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(ActionMetadataSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema,
    title: 'GitHub Action metadata (action.yml)',
    description:
      'The metadata file of a JavaScript (node20, node24), composite or Docker action. Generated from scripts/action-yml-schema.ts.',
    ...rest,
  };
}

/** The schema file's exact text: pretty JSON with a trailing newline. */
export function actionYmlJsonSchemaText(): string {
  return `${JSON.stringify(actionYmlJsonSchema(), null, 2)}\n`;
}

if (import.meta.main) {
  const target = join(dirname(fileURLToPath(import.meta.url)), '..', ACTION_YML_SCHEMA_FILE);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, actionYmlJsonSchemaText());
  console.log(`wrote ${ACTION_YML_SCHEMA_FILE}`);
}
