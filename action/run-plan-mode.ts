import type { Agent } from '../core/agent/agent-contract.ts';
import { sanitizeUntrustedText } from '../core/agent/sanitize-untrusted-text.ts';
import type { Config } from '../core/config/config-schema.ts';
import { EnvironmentError, InputError } from '../core/errors/errors.ts';
import type { Octokit } from '../core/github/octokit-types.ts';
import { digestConfig, type PlanRecordView, type RunRecord } from '../core/github/plan-record.ts';
import { publishPlanComment } from '../core/github/publish-plan-comment.ts';
import { readIssue } from '../core/github/read-issue.ts';
import { readIssuePlan } from '../core/plan/read-issue-plan.ts';
import { type MatrixEntry, matrixJson, readyMatrix } from '../core/plan/ready-matrix.ts';
import { resolveRunPlan } from '../core/run/resolve-run-plan.ts';
import type { ActionInputs, ActionOutputName } from './action-inputs.ts';
import type { ActionEvent } from './read-event.ts';
import { renderPlanSummary } from './render-plan-summary.ts';

/** Why plan mode cannot plan an issue without a plan: no agent could be built. */
export const MISSING_PLANNER_MESSAGE =
  'the issue has no plan (no `cluster` block and no open task list), and there are no credentials for Claude Code ' +
  'to write one: set the `anthropic-api-key` or `claude-code-oauth-token` input from a secret, or `use-bedrock` / ' +
  '`use-vertex` with the job’s cloud credentials, or the `agent` input to another agent; or add a plan to the issue';

/** Everything plan mode works with; the entry point builds it from the runner's environment. */
export interface PlanModeDeps {
  inputs: ActionInputs;
  event: ActionEvent;
  octokit: Octokit;
  config: Config;
  /** The checked-out repository; the planning agent reads the code here. */
  workspace: string;
  /** The planning agent, or undefined when none can be built (no credentials). */
  agent: Agent | undefined;
  setOutput(name: ActionOutputName, value: string): void;
  summary: { write(markdown: string): void | Promise<void> };
  log: { info(message: string): void };
  /** Link to this workflow run, shown in the plan comment. */
  runUrl?: string;
  /** Login the token comments as (default `github-actions[bot]`); only its record comments are updated. */
  botLogin?: string;
  signal?: AbortSignal;
  /** The clock, for the default run id and the record's time. */
  now?: () => Date;
}

/** What plan mode published. */
export interface PlanModeResult {
  record: RunRecord;
  /** Tasks ready to start, critical path first. */
  ready: MatrixEntry[];
  commentId: number;
  commentUrl: string;
}

/** `issue-<n>-<yyyymmdd>-<hhmmss>` (UTC): the run id when the `run-id` input is empty. */
export function defaultRunId(issueNumber: number, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `issue-${issueNumber}-${stamp}`;
}

function issueNumberOf(inputs: ActionInputs, event: ActionEvent): number {
  const number = inputs['issue-number'] ?? event.issue?.number ?? event.pull_request?.number;
  if (number === undefined) {
    throw new InputError('plan mode has no issue to plan', [
      'set the `issue-number` input, or run the action on an `issues` or `issue_comment` event',
    ]);
  }
  return number;
}

/** The `base-ref` input, else a pull request's head branch (same repository only), else the default branch. */
function baseOf(inputs: ActionInputs, event: ActionEvent): string {
  if (inputs['base-ref'] !== undefined) return inputs['base-ref'];
  const pull = event.pull_request;
  if (pull === undefined) return event.repository.default_branch;
  if (pull.head.repo?.full_name !== event.repository.full_name) {
    throw new InputError(
      `pull request #${pull.number} comes from another repository (${pull.head.repo?.full_name ?? 'a deleted fork'}), so its branch cannot be the base of a run`,
      ['set the `base-ref` input to a branch of this repository'],
    );
  }
  return pull.head.ref;
}

/**
 * Plan mode: reads the issue through the API (its current body, sanitized), takes its explicit plan (```cluster
 * block or task list) or asks the agent for one (one retry with the problems fed back), validates it against
 * `max_tasks`, publishes the plan comment with the run record (updating the same run's comment on a re-run), then
 * sets the outputs `plan`, `matrix` (the ready tasks, for `fromJSON`) and `task-count` and writes the job summary.
 * Every check (plan validity, comment size, matrix limits) runs before anything is published: a refused plan
 * leaves no comment and no outputs.
 */
export async function runPlanMode(deps: PlanModeDeps): Promise<PlanModeResult> {
  const now = deps.now ?? (() => new Date());
  const { owner } = deps.event.repository;
  const repo = deps.event.repository.name;
  const issueNumber = issueNumberOf(deps.inputs, deps.event);
  const runId = deps.inputs['run-id'] ?? defaultRunId(issueNumber, now());
  const base = baseOf(deps.inputs, deps.event);
  const maxTasks = deps.config.max_tasks;

  const issue = await readIssue(deps.octokit, { owner: owner.login, repo, issueNumber });
  // What runs is what a reader of the issue sees: hidden comments and invisible characters never become tasks.
  const body = sanitizeUntrustedText(issue.body);
  if (readIssuePlan(body, { maxTasks }).source === 'none' && deps.agent === undefined) {
    throw new EnvironmentError(MISSING_PLANNER_MESSAGE);
  }
  deps.log.info(`planning issue #${issueNumber} of ${owner.login}/${repo} as run ${runId}`);
  const planned = await resolveRunPlan({
    issueTitle: issue.title,
    issueBody: body,
    maxTasks,
    ...(deps.agent === undefined
      ? {}
      : {
          planner: {
            agent: deps.agent,
            cwd: deps.workspace,
            runId,
            timeoutMs: deps.config.task_timeout_minutes * 60_000,
            ...(deps.signal === undefined ? {} : { signal: deps.signal }),
          },
        }),
  });

  const record: RunRecord = {
    version: 1,
    runId,
    issueNumber,
    base,
    plan: planned.plan,
    configDigest: digestConfig(deps.config),
    createdAt: now().toISOString(),
    source: planned.source,
  };
  const view: PlanRecordView = {
    title: issue.title,
    perTaskUsd: deps.inputs['budget-usd'] ?? deps.config.budget.per_task_usd,
    ...(planned.source === 'agent' && deps.agent !== undefined ? { planner: deps.agent.name } : {}),
    ...(deps.runUrl === undefined ? {} : { runUrl: deps.runUrl }),
  };
  const ready = readyMatrix(planned.plan);
  const matrix = matrixJson(ready);

  const comment = await publishPlanComment(deps.octokit, {
    owner: owner.login,
    repo,
    issueNumber,
    record,
    view,
    ...(deps.botLogin === undefined ? {} : { botLogin: deps.botLogin }),
  });
  deps.log.info(
    `${comment.created ? 'created' : 'updated'} the plan comment ${comment.url}: ${planned.plan.tasks.length} task(s) from ${planned.source}${planned.costUsd === undefined ? '' : `, planning cost $${planned.costUsd.toFixed(2)}`}`,
  );

  deps.setOutput('plan', JSON.stringify(planned.plan));
  deps.setOutput('matrix', matrix);
  deps.setOutput('task-count', String(planned.plan.tasks.length));
  deps.setOutput('run-id', record.runId);
  await deps.summary.write(renderPlanSummary({ record, view, ready, commentUrl: comment.url }));
  return { record, ready, commentId: comment.commentId, commentUrl: comment.url };
}
