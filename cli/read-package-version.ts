import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const PackageJsonSchema = z.object({ name: z.string(), version: z.string() });

/**
 * The version of the claude-cluster package this code belongs to, from its package.json: the nearest one above this
 * file named `claude-cluster` (the sources sit one folder below it, the built `lib/` two).
 */
export function readPackageVersion(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const found = readPackageJson(join(dir, 'package.json'));
    if (found?.name === 'claude-cluster') return found.version;
    if (dirname(dir) === dir) throw new Error(`no claude-cluster package.json above ${import.meta.dirname}`);
  }
}

function readPackageJson(path: string): z.infer<typeof PackageJsonSchema> | undefined {
  try {
    return PackageJsonSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}
