import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_SCHEMA_FILE,
  configJsonSchema,
  configJsonSchemaText,
} from '../../core/config/config-json-schema.ts';
import { ConfigSchema } from '../../core/config/config-schema.ts';

describe('configJsonSchema', () => {
  it('describes every config key with its description and default, requiring none', () => {
    const schema = configJsonSchema() as {
      $schema: string;
      title: string;
      required?: string[];
      additionalProperties: boolean;
      properties: Record<string, { description?: string; default?: unknown }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('claude-cluster configuration');
    expect(schema.required ?? []).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(Object.keys(ConfigSchema.shape));
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.description, `description of ${key}`).toMatch(/\S/);
    }
    expect(schema.properties.on_conflict).toMatchObject({
      default: 'resolve',
      enum: ['resolve', 'retry', 'skip'],
    });
  });

  describe('the committed schema file', () => {
    it('matches the schema generated from ConfigSchema', async () => {
      const committed = await readFile(new URL(`../../${CONFIG_SCHEMA_FILE}`, import.meta.url), 'utf8').catch(
        () => '(missing)',
      );
      expect(committed === configJsonSchemaText(), `${CONFIG_SCHEMA_FILE} is stale: run npm run schema`).toBe(
        true,
      );
    });
  });
});
