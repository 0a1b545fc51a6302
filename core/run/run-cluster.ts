import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Agent, AgentRunResult } from '../agent/agent-contract.ts';
import { buildResolvePrompt } from '../agent/build-resolve-prompt.ts';
import { buildTaskPrompt } from '../agent/build-task-prompt.ts';
import type { Config } from '../config/config-schema.ts';
import { commitIdentityEnv } from '../git/commit-identity.ts';
import { WorktreeSet } from '../git/worktrees.ts';
import { appendLedgerEntry, type LedgerTarget } from '../integrate/append-ledger-entry.ts';
import { type RunBranches, runBranches } from '../integrate/branch-names.ts';
import { integrateTaskCommit } from '../integrate/integrate-task-commit.ts';
import { formatLedgerMessage } from '../integrate/ledger-format.ts';
import { readLedger } from '../integrate/read-ledger.ts';
import { resolveConflictWithAgent } from '../integrate/resolve-conflict.ts';
import { branchHead, createBranchIfAbsent } from '../integrate/update-branch.ts';
import type { Plan, Task } from '../plan/plan-schema.ts';
import type { RunReport, TaskState, TaskStatus } from '../report/report-model.ts';
import { createScheduler, type Scheduler } from '../schedule/schedule-tasks.ts';
import { buildRunReport } from './build-run-report.ts';
import { preflightRun } from './preflight-run.ts';
import {
  type TaskFacts,
  taskCommitMessage,
  taskLedgerEntry,
  taskLedgerSubject,
} from './record-task-outcome.ts';
import type { RunEventListener } from './run-events.ts';
import { runTaskAttempt, type TaskAttemptResult } from './run-task-attempt.ts';
import { runVerify } from './run-verify.ts';

/** Everything a local run needs. */
export interface RunClusterOptions {
  /** The repository (any directory inside it). */
  repoDir: string;
  /** Branch (or commit-ish) the integration branch starts from. */
  base: string;
  runId: string;
  /** Title of the issue or request. */
  title: string;
  /** The issue's text, given to agents as data. */
  issueBody?: string;
  plan: Plan;
  /** Repository configuration with any command-line overrides applied. */
  config: Config;
  agent: Agent;
  /** Aborting stops every agent, records what was done and removes the worktrees. */
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  /** Where worktrees are created; a fresh temporary directory by default. */
  workDir?: string;
}

/** Outcome of integrating one attempt: final, or a request to re-run the task (on_conflict: retry). */
type IntegrationStep =
  | { final: TaskStatus }
  | { retry: true; conflict: { files: string[]; excerpt: string } };

/**
 * Runs a whole plan on a local repository: the integration branch is created from the base, ready tasks start in
 * critical-path order up to `max_parallel`, each in its own worktree on its own branch made from the integration
 * branch as it stands, and each finished branch is merged at once (conflicts handled per `on_conflict`). A failed
 * task's dependents are skipped; the others still land. Every outcome is a ledger commit on the integration branch,
 * and the report returned is rebuilt from that ledger. The user's checkout is never touched.
 */
export async function runCluster(options: RunClusterOptions): Promise<RunReport> {
  const { config, plan, runId } = options;
  const branches = runBranches(config.branch_prefix, runId);
  const repo = await preflightRun(options.repoDir, options.base, branches);
  await options.agent.preflight();

  const env = await commitIdentityEnv(repo.repoDir);
  const target: LedgerTarget = { repoDir: repo.repoDir, integrationBranch: branches.integration, env };
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), `claude-cluster-${runId}-`)));
  const worktrees = new WorktreeSet(repo.repoDir);
  const live = new Map<string, TaskState>();
  try {
    if (
      !(await createBranchIfAbsent(
        repo.repoDir,
        branches.integration,
        repo.baseCommit,
        `cluster: start ${runId}`,
      ))
    ) {
      throw new Error(`integration branch \`${branches.integration}\` appeared while the run was starting`);
    }
    await appendLedgerEntry(target, `Start run ${runId}: ${options.title}`, {
      event: 'start',
      run: runId,
      base: options.base,
      baseCommit: repo.baseCommit,
      title: options.title,
    });
    options.onEvent?.({
      type: 'run-started',
      runId,
      integrationBranch: branches.integration,
      tasks: plan.tasks.length,
    });
    const execution = new RunExecution(options, branches, target, worktrees, workDir, live);
    await execution.execute();
    if (config.verify && !options.signal?.aborted) await execution.verify(config.verify);
  } finally {
    await worktrees.removeAll();
    if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
    options.onEvent?.({ type: 'run-finished', runId });
  }
  const ledger = await readLedger(repo.repoDir, branches.integration, runId);
  return buildRunReport(ledger, {
    runId,
    plan,
    base: options.base,
    integrationBranch: branches.integration,
    integrationCommit: await branchHead(repo.repoDir, branches.integration),
    taskBranch: branches.task,
    liveStates: live,
  });
}

/** The scheduling loop and per-task pipelines of one run. */
class RunExecution {
  readonly #options: RunClusterOptions;
  readonly #branches: RunBranches;
  readonly #target: LedgerTarget;
  readonly #worktrees: WorktreeSet;
  readonly #workDir: string;
  readonly #states: Map<string, TaskState>;
  readonly #tasks: Map<string, Task>;
  readonly #scheduler: Scheduler;
  /** Integrations (and ledger writes) happen one at a time: each merge sees the previous one. */
  readonly #integrationLock = pLimit(1);
  readonly #summaries = new Map<string, string>();
  #spentUsd = 0;

  constructor(
    options: RunClusterOptions,
    branches: RunBranches,
    target: LedgerTarget,
    worktrees: WorktreeSet,
    workDir: string,
    states: Map<string, TaskState>,
  ) {
    this.#options = options;
    this.#branches = branches;
    this.#target = target;
    this.#worktrees = worktrees;
    this.#workDir = workDir;
    this.#states = states;
    this.#tasks = new Map(options.plan.tasks.map((task) => [task.id, task]));
    this.#scheduler = createScheduler(options.plan);
  }

  /** Starts tasks as slots free up until none can start and none is running. */
  async execute(): Promise<void> {
    // A slot is an agent at work. Integration is the engine's own work: a task frees its slot when its agent is
    // done, so the next task starts while the finished one is merged. Integrating tasks still count as busy for
    // file-overlap avoidance, since their work is not on the integration branch yet.
    const agents = new Map<string, Promise<void>>();
    const pipelines = new Map<string, Promise<void>>();
    const parallel = this.#options.config.max_parallel;
    for (;;) {
      if (this.#canStartMore()) {
        const busy = new Set([...agents.keys(), ...pipelines.keys()]);
        for (const id of this.#scheduler.next(parallel - agents.size, busy)) {
          const slot = Promise.withResolvers<void>();
          agents.set(
            id,
            slot.promise.finally(() => agents.delete(id)),
          );
          const pipeline = this.#runTask(this.#tasks.get(id)!, slot.resolve).finally(() => {
            slot.resolve();
            pipelines.delete(id);
          });
          pipelines.set(id, pipeline);
        }
      }
      if (pipelines.size === 0) break;
      await Promise.race([...agents.values(), ...pipelines.values()]);
    }
    const reason = this.#options.signal?.aborted
      ? 'the run was cancelled before this task started'
      : `the run's budget of $${this.#options.config.budget.per_run_usd} was spent before this task started`;
    for (const task of this.#options.plan.tasks) {
      if (!this.#isTerminal(task.id)) await this.#recordSkipped(task, reason);
    }
  }

  /** Runs the verify command on the integration branch and records the result in the ledger. */
  async verify(command: string): Promise<void> {
    this.#options.onEvent?.({ type: 'verify', state: 'running', detail: command });
    const head = await branchHead(this.#target.repoDir, this.#branches.integration);
    const result = await runVerify({
      worktrees: this.#worktrees,
      workDir: this.#workDir,
      commit: head!,
      command,
      timeoutMs: this.#options.config.task_timeout_minutes * 60_000,
      signal: this.#options.signal,
    });
    await appendLedgerEntry(
      this.#target,
      `Verify run ${this.#options.runId}: ${result.passed ? 'passed' : 'failed'}`,
      {
        event: 'verify',
        run: this.#options.runId,
        command,
        passed: result.passed,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        excerpt: result.outputTail,
      },
    );
    this.#options.onEvent?.({ type: 'verify', state: result.passed ? 'passed' : 'failed', detail: command });
  }

  #canStartMore(): boolean {
    return !this.#options.signal?.aborted && this.#spentUsd < this.#options.config.budget.per_run_usd;
  }

  #isTerminal(id: string): boolean {
    const state = this.#states.get(id);
    return state !== undefined && !['pending', 'running', 'integrating'].includes(state);
  }

  #setState(task: Task, state: TaskState, detail?: string): void {
    this.#states.set(task.id, state);
    this.#options.onEvent?.({ type: 'task-state', taskId: task.id, state, detail });
  }

  /** A task from start to its final status; never throws for task-level failures. */
  async #runTask(task: Task, releaseSlot: () => void): Promise<void> {
    let status: TaskStatus;
    try {
      status = await this.#runTaskSteps(task, releaseSlot);
    } catch (error) {
      // An engine or git failure in one task must not leave the others unrecorded.
      const reason = `the engine failed on this task: ${error instanceof Error ? error.message : String(error)}`;
      await this.#integrationLock(() =>
        this.#append(
          task,
          {
            runId: this.#options.runId,
            task,
            branch: this.#branches.task(task.id),
            files: [],
            agentRuns: [],
            attempts: 1,
          },
          { status: 'failed', resolution: 'none', reason },
        ),
      ).catch(() => undefined);
      status = 'failed';
    }
    if (status === 'integrated' || status === 'resolved') {
      this.#scheduler.complete(task.id);
      return;
    }
    const blocked = this.#scheduler.block(task.id);
    for (const id of blocked) {
      const dependent = this.#tasks.get(id)!;
      const cause =
        dependent.depends_on.find((dep) => this.#isTerminal(dep) && !this.#merged(dep)) ?? task.id;
      const verb =
        this.#states.get(cause) === 'conflicted'
          ? 'was not integrated (conflict)'
          : this.#states.get(cause) === 'skipped'
            ? 'was skipped'
            : 'failed';
      await this.#recordSkipped(dependent, `depends on \`${cause}\`, which ${verb}`);
    }
  }

  #merged(id: string): boolean {
    const state = this.#states.get(id);
    return state === 'integrated' || state === 'resolved';
  }

  async #runTaskSteps(task: Task, releaseSlot: () => void): Promise<TaskStatus> {
    this.#setState(task, 'running');
    const agentRuns: AgentRunResult[] = [];
    const first = await this.#attempt(task, this.#branches.task(task.id), agentRuns);
    releaseSlot();
    const facts = this.#facts(task, this.#branches.task(task.id), first, agentRuns, 1);
    if (!first.agent.ok) {
      return this.#integrationLock(() =>
        this.#append(task, facts, {
          status: 'failed',
          resolution: 'none',
          reason: first.agent.error ?? 'the agent failed',
        }),
      );
    }
    this.#setState(task, 'integrating');
    const step = await this.#integrationLock(() => this.#integrate(task, facts));
    if ('final' in step) return step.final;

    this.#setState(task, 'running', 'conflict: re-running on the integration branch');
    const retryBranch = this.#branches.retry(task.id);
    const second = await this.#attempt(task, retryBranch, agentRuns);
    const retryFacts = this.#facts(task, retryBranch, second, agentRuns, 2);
    if (!second.agent.ok) {
      return this.#integrationLock(() =>
        this.#append(task, retryFacts, {
          status: 'conflicted',
          resolution: 'unresolved',
          conflicts: step.conflict.files,
          excerpt: step.conflict.excerpt,
          reason: `re-running after the conflict failed: ${second.agent.error ?? 'the agent failed'}; branch \`${facts.branch}\` kept`,
        }),
      );
    }
    this.#setState(task, 'integrating');
    const again = await this.#integrationLock(() => this.#integrate(task, retryFacts, step.conflict));
    return 'final' in again ? again.final : 'conflicted';
  }

  async #attempt(task: Task, branch: string, agentRuns: AgentRunResult[]): Promise<TaskAttemptResult> {
    const { config, runId } = this.#options;
    const start = await branchHead(this.#target.repoDir, this.#branches.integration);
    const dependencies = task.depends_on.map((id) => ({
      id,
      title: this.#tasks.get(id)?.title ?? id,
      summary: this.#summaries.get(id),
    }));
    const result = await runTaskAttempt({
      repoDir: this.#target.repoDir,
      worktrees: this.#worktrees,
      dir: join(this.#workDir, branch.split('/').slice(-2).join('-')),
      branch,
      startCommit: start!,
      agent: this.#options.agent,
      agentInput: {
        prompt: buildTaskPrompt({
          task,
          issueTitle: this.#options.title,
          issueBody: this.#options.issueBody,
          dependencies,
        }),
        runId,
        taskId: task.id,
        taskTitle: task.title,
        timeoutMs: config.task_timeout_minutes * 60_000,
        budgetUsd: this.#taskBudget(),
        signal: this.#options.signal,
      },
      env: this.#target.env,
      commitMessage: (agent) => taskCommitMessage(runId, task, agent),
    });
    agentRuns.push(result.agent);
    this.#spentUsd += result.agent.costUsd ?? 0;
    if (result.agent.summary.trim()) this.#summaries.set(task.id, result.agent.summary.trim());
    return result;
  }

  #taskBudget(): number {
    const { budget } = this.#options.config;
    return Math.max(0, Math.min(budget.per_task_usd, budget.per_run_usd - this.#spentUsd));
  }

  #facts(
    task: Task,
    branch: string,
    attempt: TaskAttemptResult,
    agentRuns: AgentRunResult[],
    attempts: number,
  ): TaskFacts {
    return {
      runId: this.#options.runId,
      task,
      branch,
      commit: attempt.head,
      files: attempt.files,
      agentRuns,
      attempts,
    };
  }

  /** Merges one attempt (inside the integration lock) and handles a conflict per `on_conflict`. */
  async #integrate(
    task: Task,
    facts: TaskFacts,
    earlier?: { files: string[]; excerpt: string },
  ): Promise<IntegrationStep> {
    const clean = earlier
      ? ({
          status: 'resolved',
          resolution: 'retried',
          conflicts: earlier.files,
          excerpt: earlier.excerpt,
        } as const)
      : ({ status: 'integrated', resolution: 'clean' } as const);
    const message = formatLedgerMessage(taskLedgerSubject(task, clean.status), taskLedgerEntry(facts, clean));
    const labels = { integration: this.#branches.integration, task: facts.branch };
    const result = await integrateTaskCommit(this.#target, facts.commit!, labels, message, {
      unchanged: facts.files.length === 0,
    });
    if (result.merged) return { final: this.#done(task, clean.status) };

    const { conflict } = result;
    const conflicted = { conflicts: conflict.conflictedFiles, excerpt: conflict.excerpt };
    const mode = this.#options.config.on_conflict;
    if (earlier) {
      const reason = `conflicted again after re-running on the integration branch; branch \`${facts.branch}\` kept`;
      return {
        final: await this.#append(task, facts, {
          status: 'conflicted',
          resolution: 'unresolved',
          ...conflicted,
          reason,
        }),
      };
    }
    if (mode === 'skip') {
      const reason = `left unmerged (on_conflict: skip); branch \`${facts.branch}\` kept`;
      return {
        final: await this.#append(task, facts, {
          status: 'conflicted',
          resolution: 'skipped',
          ...conflicted,
          reason,
        }),
      };
    }
    if (mode === 'retry')
      return { retry: true, conflict: { files: conflict.conflictedFiles, excerpt: conflict.excerpt } };

    this.#setState(task, 'integrating', `resolving a conflict in ${conflict.conflictedFiles.join(', ')}`);
    const resolution = await resolveConflictWithAgent({
      target: this.#target,
      worktrees: this.#worktrees,
      worktreeDir: join(this.#workDir, `resolve-${task.id}`),
      head: conflict.head,
      taskBranch: facts.branch,
      taskCommit: facts.commit!,
      agent: this.#options.agent,
      agentInput: {
        prompt: buildResolvePrompt({
          task,
          conflictedFiles: conflict.conflictedFiles,
          integrationBranch: this.#branches.integration,
          excerpt: conflict.excerpt,
        }),
        runId: this.#options.runId,
        taskId: task.id,
        taskTitle: task.title,
        timeoutMs: this.#options.config.task_timeout_minutes * 60_000,
        budgetUsd: this.#taskBudget(),
        signal: this.#options.signal,
      },
      message: (agent) =>
        formatLedgerMessage(
          taskLedgerSubject(task, 'resolved'),
          taskLedgerEntry(
            { ...facts, agentRuns: [...facts.agentRuns, agent] },
            { status: 'resolved', resolution: 'resolved', ...conflicted },
          ),
        ),
    });
    if (resolution.agent) {
      facts.agentRuns.push(resolution.agent);
      this.#spentUsd += resolution.agent.costUsd ?? 0;
    }
    if (resolution.resolved) return { final: this.#done(task, 'resolved') };
    const reason = `the conflict was not resolved: ${resolution.reason}; branch \`${facts.branch}\` kept`;
    return {
      final: await this.#append(task, facts, {
        status: 'conflicted',
        resolution: 'unresolved',
        ...conflicted,
        reason,
      }),
    };
  }

  #done(task: Task, status: TaskStatus): TaskStatus {
    this.#setState(task, status);
    return status;
  }

  /** Writes a ledger entry that merges nothing (call inside the integration lock). */
  async #append(
    task: Task,
    facts: TaskFacts,
    fields: Parameters<typeof taskLedgerEntry>[1],
  ): Promise<TaskStatus> {
    await appendLedgerEntry(
      this.#target,
      taskLedgerSubject(task, fields.status),
      taskLedgerEntry(facts, fields),
    );
    return this.#done(task, fields.status);
  }

  async #recordSkipped(task: Task, reason: string): Promise<void> {
    const facts: TaskFacts = {
      runId: this.#options.runId,
      task,
      branch: '',
      files: [],
      agentRuns: [],
      attempts: 0,
    };
    await this.#integrationLock(() =>
      this.#append(task, facts, { status: 'skipped', resolution: 'none', reason }),
    );
  }
}
