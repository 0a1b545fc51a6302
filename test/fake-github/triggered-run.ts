import type { ExpressionContext } from './evaluate-expression.ts';
import type { FakeRepository, FakeUser } from './fake-state.ts';
import type { TriggerEvent, Workflow } from './read-workflow-file.ts';
import type { FakeUrls } from './shape-user.ts';

/** What starts a run besides a dispatch: an event that a workflow's `on:` names (see trigger-workflows.ts). */
export interface TriggerRequest {
  repo: FakeRepository;
  /** `.github/workflows/<file>` */
  path: string;
  workflow: Workflow;
  event: TriggerEvent;
  /** The webhook payload: `github.event` and the file at `GITHUB_EVENT_PATH`. */
  payload: object;
  /** `GITHUB_REF`: `refs/heads/<default branch>`, or `refs/pull/<n>/merge` for pull_request. */
  ref: string;
  /** The run's head branch and commit (the workflow file was read there). */
  branch: string;
  sha: string;
  actor: FakeUser;
  /** The run's title when the workflow has no `run-name` (the or pull request's title, …). */
  title: string;
  /** `workflow_run` links that led here (GitHub stops after three). */
  chainDepth: number;
  /** Why the workflow file cannot run; the run then fails at once. */
  problem?: string;
}

/** The expression contexts of a run an event started: `github.event` is the payload, no `inputs`. */
export function triggeredRunContext(
  request: TriggerRequest,
  urls: FakeUrls,
  secrets: Record<string, string>,
): ExpressionContext {
  const github = {
    event_name: request.event,
    event: request.payload,
    ref: request.ref,
    ref_name: request.ref.replace(/^refs\/(heads|tags)\//, ''),
    sha: request.sha,
    repository: request.repo.fullName,
    repository_owner: request.repo.owner.login,
    actor: request.actor.login,
    triggering_actor: request.actor.login,
    workflow: request.workflow.name,
    server_url: urls.api,
    api_url: urls.api,
  };
  return { inputs: {}, github, secrets };
}
