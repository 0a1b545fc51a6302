import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Octokit } from '@octokit/rest';

/** One REST call found in the source: its operation (`METHOD /path`) and where. */
export interface RestCall {
  operation: string;
  file: string;
}

const endpoints = new Octokit().rest as unknown as Record<
  string,
  Record<string, { endpoint?: { DEFAULTS: { method: string; url: string } } } | undefined> | undefined
>;

/** Removes comments, which name operations in prose (`GET /repos/{owner}/{repo}/actions/runs/{id}`). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/**
 * The REST operations a TypeScript source calls: `octokit.rest.<scope>.<method>` (mapped through Octokit's endpoint
 * table, also across line breaks) and route strings (`'POST /repos/{owner}/{repo}/…'`, as `octokit.request` takes).
 * An unknown `rest.<scope>.<method>` is returned as `unknown rest.<scope>.<method>` so it fails loudly.
 */
export function findRestCalls(source: string): string[] {
  const code = withoutComments(source);
  const found = new Set<string>();
  for (const match of code.matchAll(/\.rest\s*\.\s*(\w+)\s*\.\s*(\w+)/g)) {
    const defaults = endpoints[match[1] ?? '']?.[match[2] ?? '']?.endpoint?.DEFAULTS;
    found.add(defaults ? `${defaults.method} ${defaults.url}` : `unknown rest.${match[1]}.${match[2]}`);
  }
  for (const match of code.matchAll(/['"`]((?:GET|POST|PUT|PATCH|DELETE) \/[^'"`\s]*)['"`]/g))
    found.add(match[1] ?? '');
  return [...found];
}

/** Every REST call of the `.ts` files (tests excluded) under the folders of `root`. */
export async function findRestCallsIn(root: string, folders: readonly string[]): Promise<RestCall[]> {
  const calls: RestCall[] = [];
  for (const folder of folders) {
    const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      const path = join(entry.parentPath, entry.name);
      for (const operation of findRestCalls(await readFile(path, 'utf8')))
        calls.push({ operation, file: relative(root, path) });
    }
  }
  return calls;
}
