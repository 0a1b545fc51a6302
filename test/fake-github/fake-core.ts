import { ApiFailure, notFound } from './api-response.ts';
import type { FakeRepository, FakeState, FakeUser, FakeWorkflowRun } from './fake-state.ts';
import type { FakeUrls } from './shape-user.ts';
import type { TokenPermissions } from './token-permissions.ts';
import type { Identity, TokenRegistry } from './token-registry.ts';

/** The App the fake stands in for GitHub to. */
export interface FakeApp {
  id: number;
  slug: string;
  installationId: number;
  /** `<slug>[bot]`, the author of everything done with an installation token. */
  bot: FakeUser;
  /** What the installation may do (its tokens carry these); `workflows: write` lets it push workflow files. */
  permissions: TokenPermissions;
  /** The webhook events the App subscribes to; GitHub delivers no others. */
  events: string[];
}

/** A branch or tag moved, was created or was deleted (by git push or the git data API). */
export interface RefUpdate {
  repo: FakeRepository;
  /** `refs/heads/main` */
  ref: string;
  /** 40 zeros when the ref was created. */
  before: string;
  /** 40 zeros when the ref was deleted. */
  after: string;
  /** Who moved it (the token's account). */
  pusher: FakeUser;
}

/** What a dispatch asks of the workflow runner. */
export interface DispatchRequest {
  repo: FakeRepository;
  /** File name (`claude-cluster.yml`) or numeric id. */
  workflow: string;
  ref: string;
  inputs: Record<string, unknown>;
  actor: FakeUser;
}

/** The workflow runner as the REST routes see it. */
export interface WorkflowDispatcher {
  /** Validates the dispatch like GitHub (throws ApiFailure) and queues the run. */
  dispatch(request: DispatchRequest): Promise<FakeWorkflowRun>;
  /** Cancels a run (throws 409 when it already completed). */
  cancel(run: FakeWorkflowRun): void;
  /** Workflow id of a file, assigned on first use. */
  workflowId(repo: FakeRepository, path: string): number;
}

/** An event the fake sends because of an API call (issue comments, pull requests), when that is switched on. */
export type EmitEvent = (event: string, payload: Record<string, unknown>) => void;

/** What every route module works with. */
export interface FakeCore {
  state: FakeState;
  urls: FakeUrls;
  tokens: TokenRegistry;
  app: FakeApp;
  runner: WorkflowDispatcher;
  /** Sends events caused by API calls; a no-op unless the fake was started with `apiEvents`. */
  emitApiEvent: EmitEvent;
  /** The clock, ISO 8601 without milliseconds. */
  now(): string;
  /** The largest file a push may add, in bytes (GitHub: 100 MiB). */
  maxFileBytes: number;
  /** Announces a ref update: `push` webhook, `pull_request.synchronize`, and the workflows they start. */
  refUpdated(update: RefUpdate): Promise<void>;
}

/** The repository of a route's `{owner}/{repo}`; 404 when the fake has none. */
export function repoOf(core: FakeCore, params: Record<string, string>): FakeRepository {
  const repo = core.state.repository(`${params.owner}/${params.repo}`);
  if (!repo) throw notFound();
  return repo;
}

/** The account a token acts as; the App's own JWT cannot act on repositories (GitHub answers 403 too). */
export function actorOf(identity: Identity): FakeUser {
  if (identity.kind === 'installation' || identity.kind === 'job' || identity.kind === 'user')
    return identity.user;
  throw new ApiFailure(
    403,
    identity.kind === 'app'
      ? 'A JSON web token cannot act on a repository; use an installation access token'
      : 'Requires authentication',
  );
}

/** A whole number from the query (`per_page`, `page`) within bounds. */
export function queryNumber(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = Number(query.get(name) ?? fallback);
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

/** The workflow run with this id in this repository; 404 otherwise. */
export function runOf(core: FakeCore, repo: FakeRepository, runId: string | undefined): FakeWorkflowRun {
  const run = core.state.workflowRuns.get(Number(runId));
  if (!run || run.repoFullName !== repo.fullName) throw notFound();
  return run;
}
