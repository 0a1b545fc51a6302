import { stringify } from 'yaml';
import { z } from 'zod';
import { configJsonSchema } from './config-json-schema.ts';

/** The parts of a JSON Schema property a commented key shows. */
interface PropertyDoc {
  description?: string | undefined;
  default?: unknown;
  enum?: unknown[] | undefined;
  properties?: Record<string, PropertyDoc> | undefined;
}

const PropertyDocSchema: z.ZodType<PropertyDoc> = z.lazy(() =>
  z
    .object({
      description: z.string().optional(),
      default: z.unknown().optional(),
      enum: z.array(z.unknown()).optional(),
      properties: z.record(z.string(), PropertyDocSchema).optional(),
    })
    .loose(),
);

const ConfigDocSchema = z.object({ properties: z.record(z.string(), PropertyDocSchema) }).loose();

/**
 * A `.github/claude-cluster.yml` that documents every key of ConfigSchema (generated from its descriptions and
 * defaults, so it never goes stale) with every setting commented out: as written it means the defaults, and
 * removing the `# ` before a key (and its sub-keys) sets it. With `schemaUrl`, the first line points editors at the
 * configuration's JSON Schema.
 */
export function renderCommentedConfig(options: { schemaUrl?: string } = {}): string {
  const schema = ConfigDocSchema.parse(configJsonSchema());
  const header = [
    // Editors with the YAML language server complete and check the file against the published schema.
    ...(options.schemaUrl === undefined ? [] : [`# yaml-language-server: $schema=${options.schemaUrl}`]),
    '# claude-cluster settings. Every key is optional and shown commented out at its default: remove the `# ` in',
    '# front of a key (and of its sub-keys) to change it. Reference: docs/configuration.md of claude-cluster.',
    '# Check this file with `npx claude-cluster validate`.',
  ];
  const sections = Object.entries(schema.properties).map(([key, property]) => renderKey(key, property, ''));
  return `${[header.join('\n'), ...sections].join('\n\n')}\n`;
}

/** Doc lines are wrapped to keep the file readable without scrolling. */
const WIDTH = 100;

function renderKey(key: string, property: PropertyDoc, indent: string): string {
  // Top-level docs are plain comments; nested ones stay comments when the block around them is uncommented.
  const docPrefix = indent === '' ? '# ' : `# ${indent}# `;
  const lines = describe(property)
    .flatMap((line) => wrap(line, WIDTH - docPrefix.length))
    .map((line) => `${docPrefix}${line}`);
  if (property.properties !== undefined) {
    lines.push(`# ${indent}${key}:`);
    for (const [child, childProperty] of Object.entries(property.properties)) {
      lines.push(renderKey(child, childProperty, `${indent}  `));
    }
    return lines.join('\n');
  }
  lines.push(`# ${indent}${key}:${'default' in property ? ` ${flowYaml(property.default)}` : ''}`);
  return lines.join('\n');
}

/** The key's doc comment: its description, its choices, and "unset" when it has no default. */
function describe(property: PropertyDoc): string[] {
  const lines = [property.description ?? ''];
  if (property.enum !== undefined) lines.push(`One of: ${property.enum.map(flowYaml).join(', ')}.`);
  if (!('default' in property) && property.properties === undefined) lines.push('Unset by default.');
  return lines.filter((line) => line.trim() !== '');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines;
}

function flowYaml(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}
