import type { Config } from '../config/config-schema.ts';
import type { Octokit } from '../github/octokit-types.ts';
import type { Logger } from '../log/create-logger.ts';
import type { EndedJob } from './advance-run.ts';

/**
 * The orchestrator's boundary: what every entry point (the Probot App, the zero-hosting workflow) asks of it. Entry
 * points parse events and commands and check who may act; the orchestrator re-derives a run's state from GitHub
 * (run record comment, refs, ledger, workflow runs) and performs only the missing, idempotent steps.
 */

/** The repository and installation a call works in. */
export interface OrchestratorContext {
  /** Authenticated as the App installation (or the workflow token in zero-hosting mode). */
  octokit: Octokit;
  owner: string;
  repo: string;
  /** The repository's `.github/claude-cluster.yml`, validated. */
  config: Config;
  defaultBranch: string;
  /** The repository's web address (`https://github.com/o/r`), for links to the task jobs' workflow runs. */
  repoUrl?: string;
  /** Logins whose run record comments are trusted (the App's bot login and `github-actions[bot]`). */
  trustedAuthors: string[];
  log?: Logger;
}

/** A request to start (or only plan) a run for an issue or a pull request. */
export interface StartRunRequest {
  issueNumber: number;
  title: string;
  /** The issue's current body (untrusted text). */
  body: string;
  requestedBy: string;
  /**
   * Identity of the triggering event, stable across redeliveries: `comment-<id>` for a `/cluster` comment,
   * `label-<issue>-<delivery id>` for a label. The same trigger always maps to the same run.
   */
  triggerId: string;
  /** Text after `/cluster`, added to every task's prompt as the requester's instructions. */
  extraInstructions?: string;
  /** `/cluster plan`: publish the plan and stop. */
  planOnly: boolean;
  /** Set when the command was given on a pull request: the run's base is the PR's head branch. */
  pullRequest?: { number: number; headRef: string };
}

/** What to tell the person who gave a command; undefined when nothing needs saying. */
export interface CommandReply {
  /** Markdown for a reply comment. */
  comment?: string;
}

/** Which tasks `/cluster retry` re-runs. */
export type RetrySelection = { kind: 'failed' } | { kind: 'task'; taskId: string };

/** The operations of the orchestrator; the App routes events and commands to these. */
export interface Orchestrator {
  startRun(context: OrchestratorContext, request: StartRunRequest): Promise<CommandReply>;
  approveRun(
    context: OrchestratorContext,
    request: { issueNumber: number; approvedBy: string },
  ): Promise<CommandReply>;
  showStatus(context: OrchestratorContext, request: { issueNumber: number }): Promise<CommandReply>;
  cancelRun(
    context: OrchestratorContext,
    request: { issueNumber: number; cancelledBy: string },
  ): Promise<CommandReply>;
  retryTasks(
    context: OrchestratorContext,
    request: { issueNumber: number; selection: RetrySelection; requestedBy: string },
  ): Promise<CommandReply>;
  /**
   * Re-derives a run's state and performs the missing steps (dispatch ready tasks, skip dependents, open the PR).
   * `endedJob`: a task job that just ended (from `workflow_job.completed`); when it did not succeed and recorded no
   * outcome (a crashed runner, a cancelled or timed-out job), the task is recorded as failed.
   */
  reconcileRun(
    context: OrchestratorContext,
    request: {
      runId: string;
      endedJob?: EndedJob;
      /** The planning workflow run ended (from `workflow_run.completed` of a `(plan)` run). */
      endedPlan?: { conclusion: string; url?: string };
    },
  ): Promise<void>;
  /**
   * After the run's pull request was merged or closed: deletes the run's task branches; closed unmerged, records a
   * `close` entry so a late event does not open the pull request again.
   */
  cleanupRun(
    context: OrchestratorContext,
    request: { integrationBranch: string; merged: boolean },
  ): Promise<void>;
}

/**
 * The task a job of the cluster workflow runs, from its name: `task <id> (<run-id>)` in the template (so the App
 * needs no request to place the job), or `task <id>` in older workflows.
 */
export function parseTaskJobName(name: string): { taskId: string; runId?: string } | undefined {
  const match = /^task ([a-z0-9]+(?:-[a-z0-9]+)*)(?: \((\d+-[0-9a-f]{8})\))?$/.exec(name);
  if (match === null) return undefined;
  return { taskId: match[1]!, ...(match[2] === undefined ? {} : { runId: match[2] }) };
}

/** The run id a workflow run belongs to, read from its `run-name` (`claude-cluster <run-id> (<mode>)`). */
export function runIdFromWorkflowRunName(name: string): string | undefined {
  return /^claude-cluster (\S+) \((?:plan|task)\)$/.exec(name)?.[1];
}
