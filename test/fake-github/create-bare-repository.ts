import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git } from '../../core/git/run-git.ts';
import { importCommit } from './import-commit.ts';

/**
 * Creates `<root>/<owner>/<name>.git`, a bare repository whose default branch holds `files` in one commit (by
 * "Seed"), and returns its path. `git http-backend` serves it with `<root>` as GIT_PROJECT_ROOT.
 */
export async function createBareRepository(input: {
  root: string;
  owner: string;
  name: string;
  defaultBranch: string;
  files: Record<string, string>;
}): Promise<string> {
  const bare = join(input.root, input.owner, `${input.name}.git`);
  await mkdir(dirname(bare), { recursive: true });
  await git(['init', '--quiet', '--bare', `--initial-branch=${input.defaultBranch}`, bare], {
    cwd: input.root,
  });
  await importCommit(bare, {
    ref: `refs/heads/${input.defaultBranch}`,
    files: input.files,
    message: 'initial commit',
    author: 'Seed',
  });
  return bare;
}
