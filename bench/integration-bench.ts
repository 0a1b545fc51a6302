import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commitIdentityEnv } from '../core/git/commit-identity.ts';
import { localBranchStore } from '../core/integrate/branch-store.ts';
import { integrateTaskCommit } from '../core/integrate/integrate-task-commit.ts';
import { formatLedgerMessage } from '../core/integrate/ledger-format.ts';
import { projectedMergeMessage } from '../core/integrate/project-merge.ts';
import { startIntegrationBranch } from '../core/integrate/start-integration-branch.ts';

/** Integration speed against a plain `git merge` loop over the same branches. */
export interface IntegrationBenchResult {
  files: number;
  branches: number;
  gitMergeLoopSeconds: number;
  engineSeconds: number;
  ratio: number;
  target: { maxRatio: number; met: boolean };
}

/**
 * Builds a repository of `files` files and `branches` task branches (each changing two files of its own and one
 * shared file in a distinct place), then times merging every branch with a `git merge` loop in a checkout and
 * with the engine's integration (merge-tree, commit with ledger trailers, compare-and-swap).
 */
export async function runIntegrationBench(
  options: { files?: number; branches?: number } = {},
): Promise<IntegrationBenchResult> {
  const { files = 5000, branches = 64 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'cluster-bench-integrate-'));
  try {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'b@example.com',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'b@example.com',
    };
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    git('init', '--quiet', '--initial-branch=main');
    for (let index = 0; index < files; index++) {
      const folder = join(dir, 'src', `m${index % 50}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `f${index}.txt`), `file ${index}\n`.repeat(20));
    }
    const shared = Array.from({ length: branches * 4 }, (_, line) => `line ${line}`);
    writeFileSync(join(dir, 'shared.txt'), `${shared.join('\n')}\n`);
    git('add', '-A');
    git('commit', '--quiet', '-m', 'init');
    const base = git('rev-parse', 'HEAD');
    // Each branch is built with plumbing so the setup stays fast and the checkout stays on main.
    const tips: string[] = [];
    for (let b = 0; b < branches; b++) {
      const index = join(dir, '.git', `bench-index-${b}`);
      const withIndex = { ...env, GIT_INDEX_FILE: index };
      const run = (args: string[], input?: string) =>
        execFileSync('git', args, { cwd: dir, env: withIndex, input, stdio: ['pipe', 'pipe', 'ignore'] })
          .toString()
          .trim();
      run(['read-tree', base]);
      const edit = (path: string, text: string) => {
        const blob = run(['hash-object', '-w', '--stdin'], text);
        run(['update-index', '--cacheinfo', `100644,${blob},${path}`]);
      };
      edit(`src/m${b % 50}/f${b}.txt`, `changed by ${b}\n`);
      edit(`src/m${(b + 1000) % 50}/f${b + 1000}.txt`, `changed by ${b} too\n`);
      const lines = [...shared];
      lines[b * 4] = `line ${b * 4} changed by ${b}`;
      edit('shared.txt', `${lines.join('\n')}\n`);
      const tree = run(['write-tree']);
      tips.push(run(['commit-tree', tree, '-p', base, '-m', `task ${b}`]));
      rmSync(index, { force: true });
    }
    for (const [b, tip] of tips.entries()) git('branch', `t${b}`, tip);

    git('checkout', '--quiet', '-b', 'loop', base);
    const loopStart = performance.now();
    for (let b = 0; b < branches; b++) git('merge', '--quiet', '--no-ff', '--no-edit', `t${b}`);
    const loopSeconds = (performance.now() - loopStart) / 1000;
    git('checkout', '--quiet', 'main');

    const target = {
      store: localBranchStore(dir),
      ledgerBranch: 'engine',
      runId: 'bench',
      env: await commitIdentityEnv(dir),
    };
    await startIntegrationBranch(target, base, 'Start run bench', {
      event: 'start',
      run: 'bench',
      base: 'main',
      baseCommit: base,
      title: 'bench',
    });
    const engineStart = performance.now();
    for (let b = 0; b < branches; b++) {
      const message = formatLedgerMessage(`Integrate task t${b}`, {
        event: 'task',
        run: 'bench',
        task: `t${b}`,
        status: 'integrated',
        branch: `t${b}`,
        commit: tips[b],
        files: [],
        conflicts: [],
        resolution: 'clean',
      });
      const result = await integrateTaskCommit(
        target,
        tips[b]!,
        { integration: 'engine', task: `t${b}` },
        { ledger: message, merge: projectedMergeMessage(`t${b}`, `t${b}`) },
      );
      if (!result.merged) throw new Error(`benchmark branch t${b} conflicted; the benchmark is broken`);
    }
    const engineSeconds = (performance.now() - engineStart) / 1000;
    if (git('rev-parse', 'engine^{tree}') !== git('rev-parse', 'loop^{tree}')) {
      throw new Error('the engine and the git merge loop produced different trees; the benchmark is broken');
    }
    const ratio = engineSeconds / loopSeconds;
    return {
      files,
      branches,
      gitMergeLoopSeconds: round(loopSeconds),
      engineSeconds: round(engineSeconds),
      ratio: round(ratio),
      target: { maxRatio: 1.3, met: ratio <= 1.3 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
