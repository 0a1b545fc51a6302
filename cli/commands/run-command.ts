import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EnvironmentError } from '../../core/errors/errors.ts';
import { git } from '../../core/git/run-git.ts';
import { runBranches } from '../../core/integrate/branch-names.ts';
import { createLogger } from '../../core/log/create-logger.ts';
import { renderReport } from '../../core/report/render-report.ts';
import type { RunReport } from '../../core/report/report-model.ts';
import { summarizeCounts } from '../../core/report/summarize-report.ts';
import { withRedactedOutput } from '../../core/run/job-secrets.ts';
import { preflightRun } from '../../core/run/preflight-run.ts';
import { runCluster } from '../../core/run/run-cluster.ts';
import type { CliIo } from '../cli-io.ts';
import { parseOptions, RunOptionsSchema } from '../cli-options.ts';
import { loadRunConfig } from '../load-run-config.ts';
import { planIssue } from '../plan-issue.ts';
import { createProgress } from '../progress/create-progress.ts';
import { readIssueInput } from '../read-issue-input.ts';
import { readSecretEnvironment } from '../read-secret-environment.ts';
import { selectAgent } from '../select-agent.ts';

/** Exit codes of `claude-cluster run`. */
export const EXIT = { integrated: 0, incomplete: 1, badInput: 2 } as const;

/**
 * `claude-cluster run`: plan the issue, run every task with the agent in its own worktree, integrate each finished
 * branch at once, print the pull-request body (or the JSON report). Returns the exit code: 0 when every task was
 * integrated (and verify passed), 1 when the run finished with failed, conflicted or skipped tasks.
 */
export async function runCommand(rawOptions: unknown, io: CliIo): Promise<number> {
  const options = parseOptions(RunOptionsSchema, rawOptions);
  const repoDir = resolve(options.repo);
  const issue = await readIssueInput(options.issue, io.stdin);
  const config = await loadRunConfig(repoDir, options.config, {
    parallel: options.parallel,
    onConflict: options.onConflict,
    verify: options.verify,
    taskTimeoutSeconds: options.taskTimeout,
  });
  const base = options.base ?? (await currentBranch(repoDir));
  const runId = options.runId ?? defaultRunId();
  // Everything that can be refused is checked before an agent spends anything.
  const repo = await preflightRun(repoDir, base, runBranches(config.branch_prefix, runId));
  const secrets = readSecretEnvironment(process.env);
  const agent = withRedactedOutput(selectAgent(options.agent, config), secrets);
  await agent.preflight();

  // A plan in the issue needs no planning worktree: nothing is checked out that the run does not use.
  const { plan, source } = await planIssue({
    issue,
    config,
    repoDir: repo.repoDir,
    runId,
    signal: io.signal,
    planner: async () => ({ agent, commit: repo.baseCommit }),
  });
  const progress = createProgress(
    plan.tasks.map((task) => task.id),
    io.stderr,
  );
  progress.note(
    `plan from ${source === 'agent' ? `the agent (${agent.name})` : `the issue's ${source}`}: ${plan.tasks.length} task(s)`,
  );
  let report: RunReport;
  try {
    report = await runCluster({
      repoDir: repo.repoDir,
      base,
      runId,
      title: issue.title,
      issueBody: issue.body,
      plan,
      config,
      agent,
      signal: io.signal,
      onEvent: (event) => progress.onEvent(event),
      logger: createLogger('claude-cluster'),
      secrets,
    });
  } finally {
    progress.close();
  }
  const body = renderReport(report);
  if (options.out) await writeFile(options.out, body);
  if (options.json) io.stdout.write(`${JSON.stringify(jsonReport(report, body), null, 2)}\n`);
  else io.stdout.write(`${body}\n`);
  return summarizeCounts(report).succeeded ? EXIT.integrated : EXIT.incomplete;
}

/** The `--json` report: the run, each task's outcome and the pull-request body. */
function jsonReport(report: RunReport, body: string) {
  return {
    runId: report.runId,
    base: report.base,
    integrationBranch: report.integrationBranch,
    integrationCommit: report.integrationCommit ?? null,
    tasks: report.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      status: task.state,
      branch: task.branch,
      commit: task.commit ?? null,
      files: task.files,
      conflicts: task.conflicts.map((conflict) => ({
        files: conflict.files,
        resolution: conflict.resolution,
      })),
      cost: task.costUsd ?? null,
      turns: task.turns ?? null,
      reason: task.reason ?? null,
    })),
    overlaps: report.overlaps,
    counts: summarizeCounts(report),
    verify: report.verify ?? null,
    prBody: body,
  };
}

async function currentBranch(repoDir: string): Promise<string> {
  const branch = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repoDir }).catch(() => '');
  if (!branch) {
    throw new EnvironmentError(
      `${repoDir} has no current branch (detached HEAD or not a repository); pass --base <branch>`,
    );
  }
  return branch;
}

/** A run id unique enough for one repository: the time to the second plus a random suffix. */
function defaultRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}
