import { z } from 'zod';
import { ConfigSchema } from './config-schema.ts';

/** Where the generated schema is committed, relative to the repository root. */
export const CONFIG_SCHEMA_FILE = 'schema/claude-cluster.schema.json';

/**
 * The JSON Schema of `.github/claude-cluster.yml`, generated from ConfigSchema in its input shape (every
 * field optional, defaults shown) with each field's description. Editors use it for completion and checks.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'claude-cluster configuration',
    description:
      'Settings of `.github/claude-cluster.yml`: which issues start a run and how tasks are run, limited and integrated. Every field is optional.',
    ...rest,
  };
}

/** The schema file's exact text: pretty JSON with a trailing newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
