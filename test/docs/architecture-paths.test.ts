import { execFileSync } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepositoryFile } from './read-repository-file.ts';

/** Backticked tokens that name a file or folder of this repository: a known file ending, or a trailing `/`. */
const PATH_TOKEN = /`([\w@./{},-]+(?:\.(?:ts|yml|yaml|json|md)|\/))`/g;

/** `a/{b,c}-d.ts` → `a/b-d.ts`, `a/c-d.ts`. */
function expandBraces(token: string): string[] {
  const match = /^(.*)\{([^}]*)\}(.*)$/.exec(token);
  if (!match) return [token];
  const [, head = '', options = '', tail = ''] = match;
  return options.split(',').flatMap((option) => expandBraces(`${head}${option}${tail}`));
}

/**
 * Every path the map names, with the folders it may be relative to: the folders named in the heading above it (and
 * their parents, as `integrate/…` under "(`core/integrate/`, `core/git/`)" is relative to `core/`).
 */
function namedPaths(markdown: string): { path: string; line: number; folders: string[] }[] {
  const found: { path: string; line: number; folders: string[] }[] = [];
  let folders: string[] = [];
  markdown.split('\n').forEach((text, index) => {
    if (text.startsWith('## ')) {
      folders = [...text.matchAll(/`([\w./-]+\/)`/g)].flatMap((match) => {
        const folder = (match[1] ?? '').replace(/\/$/, '');
        return [folder, dirname(folder)];
      });
      return;
    }
    for (const match of text.matchAll(PATH_TOKEN)) {
      const token = match[1] ?? '';
      // Paths in a user's repository, not this one.
      if (token.startsWith('.github/') || token.startsWith('.')) continue;
      for (const path of expandBraces(token)) found.push({ path, line: index + 1, folders });
    }
  });
  return found;
}

/**
 * The paths of `markdown` that name nothing in `tracked` (git's file list) — as given, under a folder of their heading,
 * or (a bare name) anywhere — except the build outputs `ignored` lists (`lib/`, which `npm run build` writes).
 */
function missingPaths(markdown: string, tracked: string[], ignored: string[] = []): string[] {
  const basenames = new Set(tracked.map((file) => basename(file)));
  const names = (path: string) => {
    const clean = path.replace(/\/$/, '');
    return (
      tracked.some((file) => file === clean || file.startsWith(`${clean}/`)) || ignored.includes(`${clean}/`)
    );
  };
  return namedPaths(markdown)
    .filter(({ path, folders }) => {
      const candidates = [path, ...folders.map((folder) => join(folder, path))];
      if (candidates.some(names)) return false;
      // A bare file name in a section about one folder (the fake GitHub's rules) names a tracked file.
      return path.includes('/') || !basenames.has(path);
    })
    .map(({ path, line }) => `line ${line}: ${path}`);
}

describe('docs/architecture.md', () => {
  it('names only files and folders that exist, so every behaviour leads to real code in one hop', async () => {
    const map = await readRepositoryFile('docs/architecture.md');
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
    const ignored = (await readRepositoryFile('.gitignore')).split('\n').map((line) => line.trim());
    expect(missingPaths(map, tracked, ignored)).toEqual([]);
  });

  it('reports a path that exists nowhere, and accepts one relative to its heading’s folder', () => {
    const page = [
      '## Plan model (`core/plan/`)',
      '| Schemas | `plan-schema.ts`, `no-such-file.ts` |',
      '| Run | `run/{run-cluster,no-such-step}.ts` |',
    ].join('\n');
    const tracked = ['core/plan/plan-schema.ts', 'core/run/run-cluster.ts'];
    expect(missingPaths(page, tracked)).toEqual(['line 2: no-such-file.ts', 'line 3: run/no-such-step.ts']);
  });
});
