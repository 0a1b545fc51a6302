import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, two folders above this file. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A file's text, by its path relative to the repository root. */
export async function readRepositoryFile(path: string): Promise<string> {
  return readFile(join(ROOT, path), 'utf8');
}

/** The Markdown pages under docs/, as repository-relative paths, sorted. */
export async function listDocsPages(): Promise<string[]> {
  return (await readdir(join(ROOT, 'docs')))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
    .sort();
}
