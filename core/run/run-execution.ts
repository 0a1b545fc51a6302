import { join } from 'node:path';
import pLimit from 'p-limit';
import type { AgentRunResult } from '../agent/agent-contract.ts';
import { buildTaskPrompt } from '../agent/build-task-prompt.ts';
import type { WorktreeSet } from '../git/worktrees.ts';
import { advanceIntegrationBranch } from '../integrate/advance-integration-branch.ts';
import { appendLedgerEntry, type LedgerTarget } from '../integrate/append-ledger-entry.ts';
import type { RunBranches } from '../integrate/branch-names.ts';
import { readLedgerHeads } from '../integrate/project-merge.ts';
import type { Task } from '../plan/plan-schema.ts';
import type { TaskState, TaskStatus } from '../report/report-model.ts';
import { createScheduler, type Scheduler } from '../schedule/schedule-tasks.ts';
import {
  type EarlierConflict,
  type IntegrateContext,
  type IntegrationStep,
  integrateAttempt,
} from './integrate-attempt.ts';
import {
  type TaskFacts,
  taskCommitMessage,
  taskLedgerEntry,
  taskLedgerSubject,
} from './record-task-outcome.ts';
import type { RunClusterOptions } from './run-cluster.ts';
import { runTaskAttempt, type TaskAttemptResult } from './run-task-attempt.ts';
import { runVerify } from './run-verify.ts';

/** The scheduling loop and per-task pipelines of one run. */
export class RunExecution {
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
    const { projected } = await readLedgerHeads(this.#target);
    const result = await runVerify({
      worktrees: this.#worktrees,
      workDir: this.#workDir,
      commit: projected,
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
      this.#options.logger?.error({ err: error, task: task.id }, 'engine failure in a task');
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
    const first = await this.#attempt(task, this.#branches.task(task.id), agentRuns, releaseSlot);
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
    if ('merged' in step) return step.merged;
    if ('kept' in step) return 'conflicted';

    this.#setState(task, 'running', 'conflict: re-running on the integration branch');
    const retryBranch = this.#branches.retry(task.id);
    const second = await this.#attempt(task, retryBranch, agentRuns);
    const retryFacts = this.#facts(task, retryBranch, second, agentRuns, 2);
    if (!second.agent.ok) {
      return this.#integrationLock(() =>
        this.#append(task, retryFacts, {
          status: 'conflicted',
          resolution: 'unresolved',
          conflicts: step.retry.files,
          excerpt: step.retry.excerpt,
          reason: `re-running after the conflict failed: ${second.agent.error ?? 'the agent failed'}; branch \`${facts.branch}\` kept`,
        }),
      );
    }
    this.#setState(task, 'integrating');
    const again = await this.#integrationLock(() => this.#integrate(task, retryFacts, step.retry));
    return 'merged' in again ? again.merged : 'conflicted';
  }

  async #attempt(
    task: Task,
    branch: string,
    agentRuns: AgentRunResult[],
    onAgentDone?: () => void,
  ): Promise<TaskAttemptResult> {
    const { config, runId } = this.#options;
    // The run's code as it stands, never a ledger commit: no bookkeeping reaches a task branch or the pull request.
    const { projected: start } = await readLedgerHeads(this.#target);
    const dependencies = task.depends_on.map((id) => ({
      id,
      title: this.#tasks.get(id)?.title ?? id,
      summary: this.#summaries.get(id),
    }));
    const result = await runTaskAttempt({
      repoDir: this.#target.store.repoDir,
      workspace: { kind: 'worktree', worktrees: this.#worktrees },
      dir: join(this.#workDir, branch.split('/').slice(-2).join('-')),
      branch,
      startCommit: start,
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
      ...(this.#options.secrets === undefined ? {} : { secrets: this.#options.secrets }),
      commitMessage: (agent) => taskCommitMessage(runId, task, agent),
      onAgentDone,
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

  /** Integrates one attempt inside the integration lock and records a kept conflict. */
  async #integrate(task: Task, facts: TaskFacts, earlier?: EarlierConflict): Promise<IntegrationStep> {
    const step = await integrateAttempt(this.#integrateContext(task), task, facts, earlier);
    // Locally the integration branch follows every merge (no CI runs here), so it always holds the landed work.
    if ('merged' in step) await advanceIntegrationBranch(this.#target, this.#branches.integration);
    if ('merged' in step) this.#done(task, step.merged);
    if ('kept' in step) await this.#append(task, facts, step.kept);
    return step;
  }

  #integrateContext(task: Task): IntegrateContext {
    return {
      target: this.#target,
      worktrees: this.#worktrees,
      workDir: this.#workDir,
      branches: this.#branches,
      runId: this.#options.runId,
      agent: this.#options.agent,
      config: this.#options.config,
      signal: this.#options.signal,
      taskBudget: () => this.#taskBudget(),
      spend: (usd) => {
        this.#spentUsd += usd;
      },
      onResolving: (files) =>
        this.#setState(task, 'integrating', `resolving a conflict in ${files.join(', ')}`),
      ...(this.#options.secrets === undefined ? {} : { secrets: this.#options.secrets }),
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
