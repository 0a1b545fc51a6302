/**
 * `npm run schema`: writes schema/claude-cluster.schema.json from ConfigSchema. A test fails when the
 * committed file differs from what this writes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from './config-json-schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(root, CONFIG_SCHEMA_FILE);
await mkdir(dirname(target), { recursive: true });
await writeFile(target, configJsonSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
