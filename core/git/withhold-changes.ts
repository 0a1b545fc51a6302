import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './run-git.ts';

/** GitHub's largest file in a push (GH001 refuses anything bigger): 100 MiB. */
export const GITHUB_MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Where GitHub keeps workflows: a push changing a file here needs the `workflows` permission. */
export const WORKFLOWS_DIR = '.github/workflows/';
/** Longest patch kept per withheld file (characters); a longer one is cut at a line and marked. */
export const WITHHELD_PATCH_CAP = 100_000;

/** What GitHub refuses from the pushing token. */
export interface WithholdRules {
  /** The largest file a push may carry, in bytes ({@link GITHUB_MAX_FILE_BYTES} on GitHub; tests lower it). */
  maxFileBytes: number;
}

/** One change left out of a task's commit because GitHub would refuse it from the job's token. */
export interface WithheldChange {
  path: string;
  /** `workflow`: under `.github/workflows/` (the token lacks `workflows`); `size`: larger than the limit. */
  reason: 'workflow' | 'size';
  /** Size of the file as the agent left it; absent when it was deleted. */
  bytes?: number;
  /** For a workflow file: `git diff --binary` of the change, applicable with `git apply`. */
  patch?: string;
  /** The patch was longer than {@link WITHHELD_PATCH_CAP} and is cut. */
  patchTruncated?: boolean;
}

/** The task's commit to withhold changes from. */
export interface WithholdInput {
  dir: string;
  /** The task's own branch (without `refs/heads/`), at `head`. */
  branch: string;
  startCommit: string;
  head: string;
  env: NodeJS.ProcessEnv;
  message: string;
  rules: WithholdRules;
}

/** The branch's head after withholding, the files it changes and what was left out. */
export interface WithholdResult {
  head: string;
  files: string[];
  withheld: WithheldChange[];
}

const ZERO = '0'.repeat(40);
const SUBMODULE_MODE = '160000';
// Paths are data, never pathspec magic.
const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

/** Whether GitHub counts `path` as a workflow change: a file under `.github/workflows/`, or one replacing that folder. */
function isWorkflowPath(path: string): boolean {
  return path.startsWith(WORKFLOWS_DIR) || path === WORKFLOWS_DIR.slice(0, -1);
}

interface RawChange {
  path: string;
  newMode: string;
  newSha: string;
}

async function changesBetween(dir: string, from: string, to: string): Promise<RawChange[]> {
  const raw = (await runGit(['diff-tree', '-r', '--no-renames', '-z', from, to], { cwd: dir })).stdout;
  const parts = raw.split('\0');
  const changes: RawChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    // `:<old mode> <new mode> <old sha> <new sha> <status>` then the path.
    const [, newMode, , newSha] = parts[i]!.slice(1).split(' ');
    changes.push({ path: parts[i + 1]!, newMode: newMode!, newSha: newSha! });
  }
  return changes;
}

async function blobSizes(dir: string, shas: string[]): Promise<Map<string, number>> {
  if (shas.length === 0) return new Map();
  const out = (
    await runGit(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], {
      cwd: dir,
      input: `${shas.join('\n')}\n`,
    })
  ).stdout;
  const sizes = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [sha, type, size] = line.split(' ');
    if (sha !== undefined && type === 'blob') sizes.set(sha, Number(size));
  }
  return sizes;
}

/**
 * The first change between the trees or commits `from` and `to` that GitHub would refuse from a job's token (a path
 * under `.github/workflows/`, a file over the limit), or undefined. For work that cannot be split, such as a conflict
 * resolution.
 */
export async function findRefusedChange(
  dir: string,
  from: string,
  to: string,
  rules: WithholdRules,
): Promise<Pick<WithheldChange, 'path' | 'reason'> | undefined> {
  const changes = await changesBetween(dir, from, to);
  const workflow = changes.find((change) => isWorkflowPath(change.path));
  if (workflow !== undefined) return { path: workflow.path, reason: 'workflow' };
  const added = changes.filter((c) => c.newSha !== ZERO && c.newMode !== SUBMODULE_MODE);
  const sizes = await blobSizes(
    dir,
    added.map((c) => c.newSha),
  );
  const large = added.find((change) => (sizes.get(change.newSha) ?? 0) > rules.maxFileBytes);
  return large === undefined ? undefined : { path: large.path, reason: 'size' };
}

/** Whether a commit between `from` and `to` (the agent's own commits) carries something GitHub refuses. */
async function historyRefused(dir: string, from: string, to: string, rules: WithholdRules): Promise<boolean> {
  const workflows = await runGit(
    ['log', '--format=', '--name-only', '--no-renames', `${from}..${to}`, '--', WORKFLOWS_DIR],
    { cwd: dir },
  );
  if (workflows.stdout.trim() !== '') return true;
  const objects = (await runGit(['rev-list', '--objects', to, '--not', from], { cwd: dir })).stdout
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter(Boolean);
  const sizes = await blobSizes(dir, objects);
  return [...sizes.values()].some((size) => size > rules.maxFileBytes);
}

async function patchOf(dir: string, from: string, to: string, path: string) {
  const diff = (
    await runGit(
      [
        'diff',
        '--binary',
        '--no-renames',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        from,
        to,
        '--',
        path,
      ],
      { cwd: dir, env: LITERAL },
    )
  ).stdout;
  if (diff.length <= WITHHELD_PATCH_CAP) return { patch: diff };
  const cut = diff.lastIndexOf('\n', WITHHELD_PATCH_CAP);
  return { patch: diff.slice(0, cut < 0 ? WITHHELD_PATCH_CAP : cut + 1), patchTruncated: true };
}

/** The tree of `head` with each of `paths` as it is at `from` (removed where `from` has none). */
async function treeWithout(dir: string, from: string, head: string, paths: string[]): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'claude-cluster-withhold-'));
  try {
    const env = { ...LITERAL, GIT_INDEX_FILE: join(scratch, 'index') };
    await runGit(['read-tree', head], { cwd: dir, env });
    const base = (await runGit(['ls-tree', '-r', '-z', from, '--', ...paths], { cwd: dir, env })).stdout;
    const atBase = new Map<string, string>();
    for (const record of base.split('\0').filter(Boolean)) {
      // `<mode> <type> <sha>\t<path>`
      const tab = record.indexOf('\t');
      const [mode, , sha] = record.slice(0, tab).split(' ');
      atBase.set(record.slice(tab + 1), `${mode} ${sha}`);
    }
    const info = paths.map((path) => `${atBase.get(path) ?? `0 ${ZERO}`}\t${path}\0`).join('');
    await runGit(['update-index', '-z', '--index-info'], { cwd: dir, env, input: info });
    return (await runGit(['write-tree'], { cwd: dir, env })).stdout.trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Leaves out of the task's commit what GitHub would refuse from a job's token: every file created, changed or deleted
 * under `.github/workflows/` (a GITHUB_TOKEN never has the `workflows` permission) and every file larger than
 * `rules.maxFileBytes` (GH001). Those paths stay as on `startCommit`; the rest of the work is kept. When something is
 * left out, or when the agent's own commits carry such a change, the branch is rewritten (compare-and-swap) to one
 * commit on `startCommit`, since GitHub checks every pushed commit. Workflow changes come back as patches a
 * maintainer can apply; large files by path and size.
 */
export async function withholdChanges(input: WithholdInput): Promise<WithholdResult> {
  const { dir, startCommit, head, rules } = input;
  if (head === startCommit) return { head, files: [], withheld: [] };
  const changes = await changesBetween(dir, startCommit, head);
  const sizes = await blobSizes(
    dir,
    changes.filter((c) => c.newSha !== ZERO && c.newMode !== SUBMODULE_MODE).map((c) => c.newSha),
  );
  const withheld: WithheldChange[] = [];
  for (const change of changes) {
    const bytes = change.newSha === ZERO ? undefined : sizes.get(change.newSha);
    const sized = bytes === undefined ? {} : { bytes };
    if (isWorkflowPath(change.path)) {
      const patch =
        bytes !== undefined && bytes > WITHHELD_PATCH_CAP
          ? {}
          : await patchOf(dir, startCommit, head, change.path);
      withheld.push({ path: change.path, reason: 'workflow', ...sized, ...patch });
    } else if (bytes !== undefined && bytes > rules.maxFileBytes) {
      withheld.push({ path: change.path, reason: 'size', ...sized });
    }
  }
  const files = changes.map((change) => change.path);
  if (withheld.length === 0 && !(await historyRefused(dir, startCommit, head, rules)))
    return { head, files, withheld };

  const tree = await treeWithout(
    dir,
    startCommit,
    head,
    withheld.map((change) => change.path),
  );
  const baseTree = (await runGit(['rev-parse', `${startCommit}^{tree}`], { cwd: dir })).stdout.trim();
  const newHead =
    tree === baseTree
      ? startCommit
      : (
          await runGit(['commit-tree', tree, '-p', startCommit, '-F', '-'], {
            cwd: dir,
            env: input.env,
            input: input.message,
          })
        ).stdout.trim();
  await runGit(
    ['update-ref', '-m', 'cluster: withhold refused changes', `refs/heads/${input.branch}`, newHead, head],
    {
      cwd: dir,
    },
  );
  const left = new Set(withheld.map((change) => change.path));
  return { head: newHead, files: files.filter((file) => !left.has(file)), withheld };
}
