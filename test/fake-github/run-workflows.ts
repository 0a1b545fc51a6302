import pLimit, { type LimitFunction } from 'p-limit';
import { ApiFailure } from './api-response.ts';
import type { ExpressionContext } from './evaluate-expression.ts';
import { evaluateCondition, evaluateText, evaluateValue } from './evaluate-expression.ts';
import { expandMatrix, jobName } from './expand-matrix.ts';
import type { DispatchRequest, FakeCore, WorkflowDispatcher } from './fake-core.ts';
import type {
  FakeJob,
  FakeRepository,
  FakeUser,
  FakeWorkflowRun,
  RunConclusion,
  WorkflowEventName,
} from './fake-state.ts';
import { readCommit } from './git-store.ts';
import { JobConcurrency } from './job-concurrency.ts';
import { readDispatchedWorkflow } from './read-dispatched-workflow.ts';
import type { Workflow, WorkflowJob } from './read-workflow-file.ts';
import { stepName } from './run-job-steps.ts';
import { type JobOptions, type RunPlan, runWorkflowJob } from './run-workflow-job.ts';
import { repositoryJson } from './shape-repository.ts';
import { userJson } from './shape-user.ts';
import type { ActivityTracker } from './track-activity.ts';
import { type TriggerRequest, triggeredRunContext } from './triggered-run.ts';
import { workflowJobPayload, workflowRunPayload } from './webhook-payloads.ts';

/** `workflow_run` actions GitHub sends; all by default. */
export type RunEventAction = 'requested' | 'in_progress' | 'completed';

/** How dispatched workflows run. */
export interface RunnerOptions extends JobOptions {
  secrets: Record<string, string>;
  /** Most jobs running at once across all runs (the machine's runners). */
  runners: number;
  runEvents: RunEventAction[];
}

/** Concurrency groups are per repository on GitHub. */
function groupKey(run: FakeWorkflowRun): string | undefined {
  return run.concurrencyGroup === undefined ? undefined : `${run.repoFullName}\n${run.concurrencyGroup}`;
}

/**
 * Runs workflows as GitHub Actions would: one run per dispatch or per event a workflow's `on:` names (see
 * {@link WorkflowRunner.trigger}; name from `run-name`), a concurrency group (per repository) holding at most one
 * running and one pending run (a newer pending run cancels the older), jobs expanded from the matrix with
 * `max-parallel` and `fail-fast`, each job's steps executed by {@link runJobSteps}, and `workflow_run` /
 * `workflow_job` webhooks as things progress.
 */
export class WorkflowRunner implements WorkflowDispatcher {
  private readonly core: () => FakeCore;
  private readonly activity: ActivityTracker;
  private readonly emit: (event: string, payload: object) => void;
  private readonly options: RunnerOptions;
  private readonly limitJobs: LimitFunction;
  private readonly plans = new Map<number, RunPlan>();
  private readonly groups = new Map<string, { running?: number; pending?: number }>();
  private readonly jobGroups = new JobConcurrency();
  private nextWorkflowId = 100;
  private readonly runNumbers = new Map<string, number>();

  constructor(deps: {
    core: () => FakeCore;
    activity: ActivityTracker;
    emit: (event: string, payload: object) => void;
    options: RunnerOptions;
  }) {
    this.core = deps.core;
    this.activity = deps.activity;
    this.emit = deps.emit;
    this.options = deps.options;
    this.limitJobs = pLimit(deps.options.runners);
  }

  workflowId(repo: FakeRepository, path: string): number {
    const known = repo.workflowIds.get(path);
    if (known !== undefined) return known;
    const id = this.nextWorkflowId++;
    repo.workflowIds.set(path, id);
    return id;
  }

  async dispatch(request: DispatchRequest): Promise<FakeWorkflowRun> {
    const core = this.core();
    const { repo } = request;
    const { workflow, path, branch, sha, inputs, context } = await readDispatchedWorkflow(
      request,
      core,
      this.options.secrets,
    );
    const payload = {
      inputs: inputs.event,
      ref: `refs/heads/${branch}`,
      repository: repositoryJson(repo, core.urls),
      sender: userJson(request.actor, core.urls),
      workflow: path,
    };
    return this.start({
      repo,
      workflow,
      path,
      event: 'workflow_dispatch',
      payload,
      inputs: inputs.event,
      branch,
      sha,
      actor: request.actor,
      context: { ...context, github: { ...context.github, event: payload } },
      title: workflow.name,
      chainDepth: 0,
    });
  }

  /**
   * Starts a run of a workflow whose `on:` names the event (the caller decided it matches): `github.event` is the
   * webhook payload, `github.event_name` the event. With `problem` (an invalid workflow file) the run fails at once
   * with that problem, as GitHub reports a workflow file issue.
   */
  async trigger(request: TriggerRequest): Promise<FakeWorkflowRun> {
    const context = triggeredRunContext(request, this.core().urls, this.options.secrets);
    return this.start({ ...request, inputs: {}, context });
  }

  /** Records the run, emits `workflow_run.requested` and schedules it (behind its concurrency group). */
  private async start(input: {
    repo: FakeRepository;
    workflow: Workflow;
    path: string;
    event: WorkflowEventName;
    payload: object;
    inputs: Record<string, string>;
    branch: string;
    sha: string;
    actor: FakeUser;
    context: ExpressionContext;
    title: string;
    chainDepth: number;
    problem?: string;
  }): Promise<FakeWorkflowRun> {
    const core = this.core();
    const { repo, workflow, path, context } = input;
    const now = core.now();
    const workflowId = this.workflowId(repo, path);
    const numberKey = `${repo.fullName}:${workflowId}`;
    this.runNumbers.set(numberKey, (this.runNumbers.get(numberKey) ?? 0) + 1);
    const run: FakeWorkflowRun = {
      id: core.state.id(),
      repoFullName: repo.fullName,
      workflowId,
      workflowName: workflow.name,
      path,
      name: workflow.runName === undefined ? input.title : evaluateText(workflow.runName, context),
      event: input.event,
      inputs: input.inputs,
      headBranch: input.branch,
      headSha: input.sha,
      runNumber: this.runNumbers.get(numberKey) ?? 1,
      status: 'queued',
      conclusion: null,
      actor: input.actor,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      concurrencyGroup: workflow.concurrency ? evaluateText(workflow.concurrency.group, context) : undefined,
      jobIds: [],
      cancelRequested: false,
      problems: input.problem === undefined ? [] : [input.problem],
      chainDepth: input.chainDepth,
    };
    core.state.workflowRuns.set(run.id, run);
    this.plans.set(run.id, {
      repo,
      workflow,
      context,
      event: input.payload,
      headCommit: await readCommit(repo.bareDir, input.sha),
      controller: new AbortController(),
      endActivity: this.activity.begin(),
    });
    this.emitRun(run, 'requested');
    if (input.problem === undefined) this.schedule(run);
    else this.complete(run, 'failure');
    return run;
  }

  cancel(run: FakeWorkflowRun): void {
    if (run.status === 'completed')
      throw new ApiFailure(409, 'Cannot cancel a workflow run that is completed.');
    run.cancelRequested = true;
    if (run.status === 'in_progress') this.plans.get(run.id)?.controller.abort();
    else this.complete(run, 'cancelled');
  }

  /** Starts the run, or parks it behind the running run of its concurrency group. */
  private schedule(run: FakeWorkflowRun): void {
    const group = groupKey(run);
    if (group !== undefined) {
      const slot = this.groups.get(group) ?? {};
      this.groups.set(group, slot);
      if (slot.running !== undefined) {
        const plan = this.plans.get(run.id);
        const cancelInProgress = plan?.workflow.concurrency?.cancelInProgress;
        const running = this.core().state.workflowRuns.get(slot.running);
        if (running && plan && evaluateCondition(cancelInProgress, plan.context)) this.cancel(running);
        const older =
          slot.pending === undefined ? undefined : this.core().state.workflowRuns.get(slot.pending);
        if (older) this.complete(older, 'cancelled');
        slot.pending = run.id;
        run.status = 'pending';
        run.updatedAt = this.core().now();
        return;
      }
      slot.running = run.id;
    }
    // A tick later, so the run is seen queued first, as on GitHub.
    setImmediate(() => void this.execute(run));
  }

  private emitRun(run: FakeWorkflowRun, action: RunEventAction): void {
    const plan = this.plans.get(run.id);
    if (!plan || !this.options.runEvents.includes(action)) return;
    this.emit('workflow_run', workflowRunPayload(this.core(), plan.repo, run, plan.headCommit, action));
  }

  private emitJob(run: FakeWorkflowRun, job: FakeJob, action: 'queued' | 'in_progress' | 'completed'): void {
    const plan = this.plans.get(run.id);
    if (plan) this.emit('workflow_job', workflowJobPayload(this.core(), plan.repo, run, job, action));
  }

  /** Marks the run completed, emits `workflow_run.completed`, frees its concurrency slot and starts the next. */
  private complete(run: FakeWorkflowRun, conclusion: RunConclusion): void {
    if (run.status === 'completed') return;
    run.status = 'completed';
    run.conclusion = conclusion;
    run.updatedAt = this.core().now();
    this.emitRun(run, 'completed');
    const key = groupKey(run);
    const group = key === undefined ? undefined : this.groups.get(key);
    if (group?.pending === run.id) group.pending = undefined;
    if (group?.running === run.id) {
      group.running = undefined;
      const next =
        group.pending === undefined ? undefined : this.core().state.workflowRuns.get(group.pending);
      group.pending = undefined;
      if (next) this.schedule(next);
    }
    this.plans.get(run.id)?.endActivity();
  }

  private newJob(
    run: FakeWorkflowRun,
    name: string,
    job: WorkflowJob,
    matrix: Record<string, unknown> | undefined,
  ): FakeJob {
    const core = this.core();
    const steps = ['Set up job', ...job.steps.map(stepName), 'Complete job'].map((stepTitle, index) => ({
      name: stepTitle,
      number: index + 1,
      status: 'queued' as const,
      conclusion: null,
    }));
    const created: FakeJob = {
      id: core.state.id(),
      runId: run.id,
      name,
      status: 'queued',
      conclusion: null,
      createdAt: core.now(),
      startedAt: null,
      completedAt: null,
      matrix,
      steps,
      log: '',
      outputs: {},
      summary: '',
    };
    core.state.jobs.set(created.id, created);
    run.jobIds.push(created.id);
    return created;
  }

  private async execute(run: FakeWorkflowRun): Promise<void> {
    const plan = this.plans.get(run.id);
    if (!plan || run.status === 'completed') return;
    const core = this.core();
    run.status = 'in_progress';
    run.startedAt = core.now();
    run.updatedAt = run.startedAt;
    this.emitRun(run, 'in_progress');
    const groups: { jobId: string; definition: WorkflowJob; jobs: FakeJob[] }[] = [];
    try {
      for (const [jobId, definition] of plan.workflow.jobs) {
        if (definition.needs !== undefined)
          throw new Error(`job \`${jobId}\` uses \`needs\`, which the fake runner does not support`);
        if (!evaluateCondition(definition.if, plan.context)) {
          const skipped = this.newJob(
            run,
            /\bmatrix\./.test(definition.name ?? '')
              ? jobId
              : jobName(jobId, definition, undefined, plan.context),
            definition,
            undefined,
          );
          // A skipped job never ran a step; GitHub lists none.
          Object.assign(skipped, {
            status: 'completed',
            conclusion: 'skipped',
            completedAt: core.now(),
            steps: [],
          });
          this.emitJob(run, skipped, 'completed');
          continue;
        }
        const entries = expandMatrix(definition, plan.context);
        const jobs = entries.map((matrix) =>
          this.newJob(run, jobName(jobId, definition, matrix, plan.context), definition, matrix),
        );
        groups.push({ jobId, definition, jobs });
      }
    } catch (error) {
      run.problems.push(error instanceof Error ? error.message : String(error));
      this.complete(run, 'failure');
      return;
    }
    for (const group of groups) for (const job of group.jobs) this.emitJob(run, job, 'queued');
    await Promise.all(groups.map((group) => this.runJobGroup(run, plan, group)));
    const conclusions = core.state.runJobs(run.id).map((job) => job.conclusion);
    // A run whose every job was skipped by its `if:` is itself skipped, as on GitHub.
    const conclusion: RunConclusion = conclusions.includes('failure')
      ? 'failure'
      : run.cancelRequested || conclusions.includes('cancelled')
        ? 'cancelled'
        : conclusions.length > 0 && conclusions.every((value) => value === 'skipped')
          ? 'skipped'
          : 'success';
    this.complete(run, conclusion);
  }

  /** Runs the jobs of one matrix: at most `max-parallel` at once; with fail-fast (the default) a failure cancels the rest. */
  private async runJobGroup(
    run: FakeWorkflowRun,
    plan: RunPlan,
    group: { jobId: string; definition: WorkflowJob; jobs: FakeJob[] },
  ): Promise<void> {
    const strategy = group.definition.strategy;
    const maxParallel =
      Number(evaluateValue(strategy?.['max-parallel'] ?? group.jobs.length, plan.context)) || 1;
    const failFast =
      strategy?.['fail-fast'] === undefined ? true : evaluateCondition(strategy['fail-fast'], plan.context);
    const groupAbort = new AbortController();
    const signal = AbortSignal.any([plan.controller.signal, groupAbort.signal]);
    const limit = pLimit(maxParallel);
    await Promise.all(
      group.jobs.map((job) =>
        limit(async () => {
          // A job-level `concurrency:` group: wait for the group (no runner is taken meanwhile).
          const jobAbort = new AbortController();
          const concurrency = group.definition.concurrency;
          let release: (() => void) | undefined = () => undefined;
          if (concurrency !== undefined) {
            const context = { ...plan.context, ...(job.matrix === undefined ? {} : { matrix: job.matrix }) };
            const key = `${run.repoFullName}\n${evaluateText(concurrency.group, context)}`;
            job.status = 'pending';
            release = await this.jobGroups.acquire(
              key,
              evaluateCondition(concurrency.cancelInProgress, context),
              () => jobAbort.abort(),
            );
            // Replaced by a newer job of the group while waiting: cancelled without running.
            if (release === undefined) jobAbort.abort();
          }
          try {
            await this.limitJobs(async () => {
              const conclusion = await runWorkflowJob({
                core: this.core(),
                run,
                plan,
                jobId: group.jobId,
                definition: group.definition,
                job,
                signal: AbortSignal.any([signal, jobAbort.signal]),
                options: this.options,
                emitJob: (action) => this.emitJob(run, job, action),
              });
              if (conclusion === 'failure' && failFast) groupAbort.abort();
            });
          } finally {
            release?.();
          }
        }),
      ),
    );
  }
}
