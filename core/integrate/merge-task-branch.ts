import { runGit } from '../git/run-git.ts';
import { extractConflictHunks, labelConflictMarkers } from './conflict-excerpt.ts';

/** Result of merging a task's commit into an integration head in memory. */
export type MergeAttempt =
  | { clean: true; head: string; tree: string }
  | { clean: false; head: string; conflictedFiles: string[]; excerpt: string };

/** Readable names for the two sides of a merge, used in conflict markers. */
export interface MergeLabels {
  integration: string;
  task: string;
}

/**
 * Merges `taskCommit` into `head` with `git merge-tree --write-tree`: no worktree, no checkout, nothing moved, so it
 * is safe beside concurrent runs and fast on large repositories. A conflict comes back with the conflicted files and
 * the conflicting hunks as git wrote them.
 */
export async function tryMergeTaskCommit(
  repoDir: string,
  head: string,
  taskCommit: string,
  labels: MergeLabels,
): Promise<MergeAttempt> {
  const result = await runGit(['merge-tree', '--write-tree', '--name-only', '-z', head, taskCommit], {
    cwd: repoDir,
    okExitCodes: [1],
  });
  const [tree = '', ...rest] = result.stdout.split('\0');
  if (result.exitCode === 0) return { clean: true, head, tree };

  const conflictedFiles: string[] = [];
  for (const name of rest) {
    if (name === '') break;
    conflictedFiles.push(name);
  }
  const messages = parseMergeMessages(rest.slice(conflictedFiles.length + 1));
  const parts: string[] = [];
  for (const file of conflictedFiles) {
    const blob = await runGit(['cat-file', 'blob', `${tree}:${file}`], { cwd: repoDir, okExitCodes: [128] });
    const hunks = blob.exitCode === 0 ? extractConflictHunks(file, blob.stdout) : '';
    parts.push(
      hunks || [`--- ${file}`, ...(messages.get(file) ?? ['conflict without text markers'])].join('\n'),
    );
  }
  const excerpt = labelConflictMarkers(parts.join('\n'), {
    [head]: labels.integration,
    [taskCommit]: labels.task,
  });
  return { clean: false, head, conflictedFiles, excerpt };
}

/** Informational messages of `merge-tree -z`, by path: `<count>\0<paths…>\0<type>\0<message>\0`, repeated. */
function parseMergeMessages(fields: string[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  let index = 0;
  while (index < fields.length) {
    const count = Number(fields[index]);
    if (!Number.isInteger(count) || count <= 0) break;
    const paths = fields.slice(index + 1, index + 1 + count);
    const type = fields[index + 1 + count] ?? '';
    const message = (fields[index + 2 + count] ?? '').trim();
    if (type !== 'Auto-merging') {
      for (const path of paths) byPath.set(path, [...(byPath.get(path) ?? []), message]);
    }
    index += count + 3;
  }
  return byPath;
}
