import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git } from '../../core/git/run-git.ts';
import { importCommit } from './import-commit.ts';

/**
 * Creates `<root>/<owner>/<name>.git`, a bare repository whose default branch holds `files` in one commit (by
 * "Seed"), and returns its path. `git http-backend` serves it with `<root>` as GIT_PROJECT_ROOT. Its `pre-receive`
 * hook runs git-push-hook.ts and its `post-receive` hook logs the accepted updates, for pushes the fake serves (which
 * set `FAKE_GITHUB_HOOK`).
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
  const hooks = {
    'pre-receive': 'exec "$FAKE_GITHUB_NODE" --no-warnings "$FAKE_GITHUB_HOOK" pre-receive',
    // The accepted `<old> <new> <ref>` lines, for the fake to announce (no Node start: pushes are many).
    'post-receive': 'cat >> "$FAKE_GITHUB_PUSH_LOG"',
  };
  for (const [hook, command] of Object.entries(hooks)) {
    const script = `#!/bin/sh\n[ -n "$FAKE_GITHUB_HOOK" ] || exit 0\n${command}\n`;
    await writeFile(join(bare, 'hooks', hook), script, { mode: 0o755 });
  }
  await importCommit(bare, {
    ref: `refs/heads/${input.defaultBranch}`,
    files: input.files,
    message: 'initial commit',
    author: 'Seed',
  });
  return bare;
}
