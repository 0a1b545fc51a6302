import { mkdir, symlink } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { type ExpressionContext, evaluateText } from './evaluate-expression.ts';
import { REPO_ROOT } from './fake-github-options.ts';
import type { WorkflowStep } from './read-workflow-file.ts';

/**
 * Repositories that `actions/checkout` links to a local directory instead of cloning: the repository that publishes
 * the claude-cluster App and action is this working tree, with its node_modules, so the zero-hosting workflow runs
 * the code under test.
 */
export const LINKED_REPOSITORIES: Readonly<Record<string, string>> = {
  'claude-cluster/claude-cluster': REPO_ROOT,
};

/** What one `actions/checkout` step needs from its job. */
export interface CheckoutInput {
  step: WorkflowStep;
  context: ExpressionContext;
  workspace: string;
  /** The job's repository (`GITHUB_REPOSITORY`), checked out when `with.repository` is absent. */
  repository: string;
  /** Where the job's repository is cloned from. */
  cloneUrl: string;
  /** The fake's address: repositories are cloned from `<serverUrl>/git/<owner>/<name>.git`. */
  serverUrl: string;
  /** The job's `GITHUB_TOKEN`. */
  token: string;
  /** Checked out when `ref` is absent and the repository is the job's: the run's branch. */
  defaultRef: string;
  git(args: string[]): Promise<number | null>;
  log(text: string): void;
}

/**
 * Runs `actions/checkout`: a clone over the fake's git HTTP (`repository`, `ref`, `path`, `fetch-depth` and
 * `persist-credentials` honoured), or a symbolic link for {@link LINKED_REPOSITORIES}. Resolves with the exit code.
 */
export async function runCheckoutStep(input: CheckoutInput): Promise<number | null> {
  const options = input.step.with ?? {};
  const read = (name: string, fallback: string) => evaluateText(options[name] ?? fallback, input.context);
  const repository = read('repository', '') || input.repository;
  const target = resolve(input.workspace, read('path', ''));
  if (relative(input.workspace, target).startsWith('..')) {
    input.log(`checkout path ${read('path', '')} is outside the workspace ${input.workspace}\n`);
    return 1;
  }
  const own = repository.toLowerCase() === input.repository.toLowerCase();
  const linked = own ? undefined : LINKED_REPOSITORIES[repository.toLowerCase()];
  if (linked !== undefined) {
    await mkdir(dirname(target), { recursive: true });
    await symlink(linked, target, 'dir');
    input.log(`linked ${repository} to ${linked} (the working tree under test)\n`);
    return 0;
  }
  const ref = read('ref', '') || (own ? input.defaultRef : '');
  const depth = Number(read('fetch-depth', '1'));
  const persist = read('persist-credentials', 'true') !== 'false';
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${input.token}`).toString('base64')}`;
  const sha = /^[0-9a-f]{40}$/.test(ref);
  const code = await input.git([
    '-c',
    `http.extraheader=${header}`,
    'clone',
    '--quiet',
    ...(depth > 0 ? [`--depth=${depth}`] : []),
    ...(sha || ref === '' ? [] : ['--branch', ref.replace(/^refs\/heads\//, '')]),
    own ? input.cloneUrl : `${input.serverUrl}/git/${repository}.git`,
    target,
  ]);
  if (code !== 0) return code;
  if (sha) {
    const detached = await input.git(['-C', target, 'checkout', '--quiet', '--detach', ref]);
    if (detached !== 0) return detached;
  }
  // actions/checkout keeps the token in .git/config unless told not to; the action takes it out before the agent runs.
  if (persist)
    return input.git(['-C', target, 'config', '--local', `http.${input.serverUrl}/.extraheader`, header]);
  return 0;
}
