import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../../core/git/run-git.ts';
import { addRepository } from './add-repository.ts';
import { apiRoutes } from './api-routes.ts';
import type { PushedRef } from './check-pushed-commits.ts';
import { ZERO_SHA } from './check-pushed-commits.ts';
import { type WebhookDelivery, WebhookSender } from './deliver-webhooks.ts';
import type { FakeApp, FakeCore, RefUpdate } from './fake-core.ts';
import {
  CI_WORKFLOW_PATH,
  type FakeGitHubOptions,
  REPO_ROOT,
  type RepositoryOptions,
  runnerOptions,
} from './fake-github-options.ts';
import {
  type FakeIssue,
  type FakeRepository,
  FakeState,
  type FakeWorkflowRun,
  type Permission,
} from './fake-state.ts';
import { resolveCommit } from './git-store.ts';
import { handleApiRequest } from './handle-api-request.ts';
import { type ApiCallCount, FaultInjector, type FaultKind } from './inject-faults.ts';
import type { Route } from './match-route.ts';
import { refUpdateEvents } from './ref-update-events.ts';
import { WorkflowRunner } from './run-workflows.ts';
import { serveGitHttp } from './serve-git-http.ts';
import { cloneUrl } from './shape-repository.ts';
import {
  closePullRequest,
  commentOnIssue,
  commitFiles,
  createIssue,
  labelIssue,
  type OpenPullRequestInput,
  openPullRequest,
} from './simulate-users.ts';
import { readAppManifest } from './token-permissions.ts';
import { type TokenIdentity, TokenRegistry } from './token-registry.ts';
import { ActivityTracker } from './track-activity.ts';
import { WorkflowTriggers } from './trigger-workflows.ts';

export {
  CI_WORKFLOW,
  CI_WORKFLOW_PATH,
  CLUSTER_WORKFLOW,
  createAppPrivateKey,
  type FakeGitHubOptions,
  type RepositoryOptions,
} from './fake-github-options.ts';

/**
 * A stateful GitHub on loopback for end-to-end runs of the App and the bundled action: REST endpoints over real bare
 * repositories, git over smart HTTP, signed webhooks, and a workflow runner that executes dispatched workflows with
 * the bundled action, and starts the workflows whose `on:` names an event (issues, issue_comment, pull_request,
 * workflow_run, push) when it happens, except events caused with a workflow's GITHUB_TOKEN. It enforces GitHub's
 * rules: token permissions, check-run ownership, workflow-file and file-size push limits, `[skip ci]`, concurrency
 * groups (docs/architecture.md lists them). Start it with {@link startFakeGitHub}; `close()` it in afterEach.
 */
export class FakeGitHub {
  /** The API root (for `baseUrl`, `GITHUB_API_URL`) and git server (`/git/{owner}/{repo}.git`). */
  readonly url: string;
  readonly state = new FakeState();
  readonly app: FakeApp;
  /** `METHOD /path` of requests no route matched; tests assert it stays empty. */
  readonly unknownRoutes: string[] = [];
  /** Git over HTTP requests so far (`GET info/refs?service=…`, `POST git-upload-pack`, …), not counted as API calls. */
  readonly gitRequests: string[] = [];
  /** Exceptions inside the fake (its own bugs); tests assert it stays empty. */
  readonly serverErrors: string[] = [];
  private readonly server: Server;
  private readonly root: string;
  private readonly tokens = new TokenRegistry();
  private readonly activity = new ActivityTracker();
  private readonly faults = new FaultInjector();
  private readonly webhooks: WebhookSender;
  private readonly runner: WorkflowRunner;
  private readonly triggers: WorkflowTriggers;
  private readonly core: FakeCore;
  private readonly routes: Route[];

  private constructor(server: Server, root: string, options: FakeGitHubOptions) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.server = server;
    this.root = root;
    const slug = options.app?.slug ?? 'claude-cluster';
    const manifest = readAppManifest(REPO_ROOT);
    this.app = {
      id: options.app?.id ?? 1,
      slug,
      installationId: options.app?.installationId ?? 7,
      bot: this.state.user(`${slug}[bot]`, 'Bot'),
      permissions: { ...(options.app?.permissions ?? manifest.permissions), metadata: 'read' },
      events: options.app?.events ?? manifest.events,
    };
    this.webhooks = new WebhookSender({
      url: options.webhookUrl,
      secret: options.webhookSecret ?? 'fake-webhook-secret',
      activity: this.activity,
      ordered: options.orderedDeliveries ?? true,
      timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    });
    this.runner = new WorkflowRunner({
      core: () => this.core,
      activity: this.activity,
      emit: (event, payload) => this.send(event, payload),
      options: runnerOptions(options, join(root, 'runner')),
    });
    this.triggers = new WorkflowTriggers({
      state: this.state,
      start: (request) => this.runner.trigger(request),
      activity: this.activity,
      onError: (message) => this.serverErrors.push(message),
    });
    this.core = {
      state: this.state,
      urls: { api: this.url, web: options.webUrl ?? 'https://github.com' },
      tokens: this.tokens,
      app: this.app,
      runner: this.runner,
      // Workflows start on these events whether or not webhooks are sent for them.
      emitApiEvent: (event, payload) => {
        if (options.apiEvents === true) this.webhooks.emit(event, payload);
        this.triggers.fire(event, payload);
      },
      now: () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      maxFileBytes: options.maxFileBytes ?? 100 * 1024 * 1024,
      refUpdated: (update) => this.refUpdated(update),
    };
    this.routes = apiRoutes(this.core);
    server.on('request', (request, response) => this.handle(request, response));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const end = this.activity.begin();
    response.on('close', end);
    const url = new URL(request.url ?? '/', this.url);
    const git = url.pathname.startsWith('/git/');
    if (git) this.gitRequests.push(`${request.method} ${url.pathname}${url.search}`);
    const work = git
      ? serveGitHttp({
          request,
          response,
          url,
          root: join(this.root, 'repos'),
          tokens: this.tokens,
          findRepository: (name) => this.state.repository(name),
          maxFileBytes: this.core.maxFileBytes,
          pushed: (repo, pusher, refs) => this.pushed(repo, pusher, refs),
        })
      : handleApiRequest({
          request,
          response,
          url,
          routes: this.routes,
          tokens: this.tokens,
          faults: this.faults,
          records: this,
        });
    work.catch((error: unknown) => {
      this.serverErrors.push(
        `${request.method} ${url.pathname}: ${error instanceof Error ? error.stack : error}`,
      );
      if (!response.headersSent) response.writeHead(500).end();
    });
  }

  /** Sends an event the fake caused: the webhook if the App subscribes to it, and the workflows it starts. */
  private send(event: string, payload: object): void {
    if (this.app.events.includes(event)) this.webhooks.emit(event, payload);
    this.triggers.fire(event, payload);
  }

  /** A ref moved: `push` and `pull_request.synchronize`, in order. */
  private async refUpdated(update: RefUpdate): Promise<void> {
    const end = this.activity.begin();
    try {
      for (const { event, payload } of await refUpdateEvents(this.core, update)) this.send(event, payload);
    } finally {
      end();
    }
  }

  private async pushed(repo: FakeRepository, pusher: TokenIdentity, refs: PushedRef[]): Promise<void> {
    for (const ref of refs) await this.refUpdated({ repo, pusher: pusher.user, ...ref });
  }

  /** Starts the fake on 127.0.0.1 with a random port. */
  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const root = await mkdtemp(join(tmpdir(), 'fake-github-'));
    const server = createServer({ keepAlive: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new FakeGitHub(server, root, options);
  }

  /** Where webhooks are delivered; undefined records deliveries without sending them. */
  get webhookUrl(): string | undefined {
    return this.webhooks.url;
  }
  set webhookUrl(url: string | undefined) {
    this.webhooks.url = url;
  }

  /** Every webhook delivery, oldest first, with its attempts. */
  get deliveries(): readonly WebhookDelivery[] {
    return this.webhooks.deliveries;
  }

  /** Creates a repository backed by a new bare git repository. */
  async addRepository(options: RepositoryOptions = {}): Promise<FakeRepository> {
    return addRepository(this.state, join(this.root, 'repos'), options);
  }

  /** The repository `owner/name`; throws naming it when the fake has none. */
  repository(fullName: string): FakeRepository {
    const repo = this.state.repository(fullName);
    if (!repo) throw new Error(`the fake GitHub has no repository ${fullName}; add it with addRepository`);
    return repo;
  }

  /** The HTTP URL git clones the repository from (needs a token: `x-access-token:<token>`). */
  cloneUrl(fullName: string): string {
    return cloneUrl(this.repository(fullName), this.core.urls);
  }

  /** Runs git in the repository's bare repository (`fake.git('octo/widgets', 'branch', '--list')`). */
  git(fullName: string, ...args: string[]): Promise<string> {
    return git(args, { cwd: this.repository(fullName).bareDir });
  }

  /** Sets a collaborator's role. */
  setPermission(fullName: string, login: string, role: Permission): void {
    this.repository(fullName).collaborators.set(login.toLowerCase(), role);
  }

  /** Makes dispatches with `return_run_details` answer 422, as servers without the flag do. */
  rejectRunDetails(fullName: string, reject = true): void {
    this.repository(fullName).rejectRunDetails = reject;
  }

  /** A token of the App's installation (acts as `<slug>[bot]`, with the installation's permissions). */
  installationToken(): string {
    return this.tokens.issue({
      kind: 'installation',
      installationId: this.app.installationId,
      user: this.app.bot,
      permissions: this.app.permissions,
    });
  }

  /** Every workflow run, oldest first (filter them: `fake.workflowRuns.filter((run) => run.event === 'push')`). */
  get workflowRuns(): FakeWorkflowRun[] {
    return this.state.runs();
  }

  /**
   * Runs of the user's CI ({@link CI_WORKFLOW}, `addRepository({ ci: true })`) in a repository, oldest first; of one
   * head commit or event when given (`fake.ciRuns('octo/widgets', { headSha }).length`).
   */
  ciRuns(
    fullName: string,
    filter: { headSha?: string; event?: 'push' | 'pull_request' } = {},
  ): FakeWorkflowRun[] {
    return this.state
      .runs(fullName)
      .filter((run) => run.path === CI_WORKFLOW_PATH)
      .filter((run) => filter.headSha === undefined || run.headSha === filter.headSha)
      .filter((run) => filter.event === undefined || run.event === filter.event);
  }

  /** A personal token of a user. */
  userToken(login: string): string {
    return this.tokens.issue({ kind: 'user', user: this.state.user(login) });
  }

  /** Creates an issue (no webhook). */
  createIssue(
    fullName: string,
    input: { title: string; body?: string; user?: string; labels?: string[] },
  ): FakeIssue {
    return createIssue(this.core, this.repository(fullName), {
      title: input.title,
      body: input.body ?? null,
      user: this.state.user(input.user ?? 'octocat'),
      ...(input.labels === undefined ? {} : { labels: input.labels }),
    });
  }

  /** A person adds a label: the label is added and `issues.labeled` delivered. */
  labelIssue(fullName: string, number: number, label: string, sender = 'octocat'): Promise<WebhookDelivery> {
    const payload = labelIssue(this.core, this.repository(fullName), number, label, this.state.user(sender));
    return this.announce('issues', payload);
  }

  /** A person (or a bot: a `…[bot]` login) comments: the comment is created and `issue_comment.created` delivered. */
  comment(fullName: string, number: number, body: string, sender = 'octocat'): Promise<WebhookDelivery> {
    const payload = commentOnIssue(
      this.core,
      this.repository(fullName),
      number,
      body,
      this.state.user(sender),
    );
    return this.announce('issue_comment', payload);
  }

  /**
   * Pushes a commit with `files` onto a branch (created from `from`, default the branch itself), as a person
   * (`pusher`, default octocat) would: `push` (and `pull_request.synchronize` for a pull request's head) follow and
   * start the workflows they name.
   */
  async pushFiles(
    fullName: string,
    branch: string,
    files: Record<string, string>,
    options: { from?: string; message?: string; pusher?: string } = {},
  ): Promise<string> {
    const repo = this.repository(fullName);
    const ref = `refs/heads/${branch}`;
    const before = (await resolveCommit(repo.bareDir, branch)) ?? ZERO_SHA;
    const after = await commitFiles(repo, {
      parent: options.from ?? branch,
      files,
      message: options.message ?? `Update ${Object.keys(files).join(', ')}`,
      targetRef: ref,
    });
    const pusher = this.state.user(options.pusher ?? 'octocat');
    await this.refUpdated({ repo, ref, before, after, pusher });
    return after;
  }

  /**
   * A person opens a pull request (from a branch of the repository, or from a fork with `fork: { owner, files }`)
   * and `pull_request.opened` is delivered.
   */
  async openPullRequest(
    fullName: string,
    input: OpenPullRequestInput,
  ): Promise<{ number: number; delivery: WebhookDelivery }> {
    const { number, payload } = await openPullRequest(this.core, this.repository(fullName), input);
    return { number, delivery: await this.announce('pull_request', payload) };
  }

  /** A person merges (real merge commit) or closes a pull request; `pull_request.closed` is delivered. */
  async closePullRequest(
    fullName: string,
    number: number,
    options: { merge: boolean; sender?: string },
  ): Promise<WebhookDelivery> {
    const user = this.state.user(options.sender ?? 'octocat');
    const payload = await closePullRequest(this.core, this.repository(fullName), number, options.merge, user);
    return this.announce('pull_request', payload);
  }

  /** Something happened on GitHub: workflows whose `on:` names the event start, and the webhook is delivered. */
  private announce(event: string, payload: object): Promise<WebhookDelivery> {
    this.triggers.fire(event, payload);
    return this.deliver(event, payload);
  }

  /**
   * Delivers a webhook now (signed, new delivery id); resolves with the delivery once the receiver answered. Only
   * the webhook: no workflow starts (the person-like methods above start them).
   */
  deliver(event: string, payload: object): Promise<WebhookDelivery> {
    return this.webhooks.deliver(event, payload);
  }

  /** Delivers an earlier delivery again: same `X-GitHub-Delivery`, same body. */
  redeliver(deliveryId: string): Promise<WebhookDelivery> {
    return this.webhooks.redeliver(deliveryId);
  }

  /** Resolves when no request, webhook delivery or workflow run is in progress (and none started for `quietMs`). */
  idle(options: { quietMs?: number; timeoutMs?: number } = {}): Promise<void> {
    return this.activity.idle(options);
  }

  /** Fails the n-th REST API request from now (1 = the next); git over HTTP is not counted. */
  failNthRequest(n: number, kind: FaultKind): void {
    this.faults.failNth(n, kind);
  }

  /** REST API requests so far (or since `resetApiCallCount`), in all and per route. */
  apiCallCount(): ApiCallCount {
    return this.faults.snapshot();
  }

  /** Starts counting REST requests from zero. */
  resetApiCallCount(): void {
    this.faults.reset();
  }

  /** Faults injected so far. */
  get injectedFaults(): readonly { request: string; kind: FaultKind }[] {
    return this.faults.injected;
  }

  /** Cancels every unfinished run, waits for the work in progress, stops the server and deletes the repositories. */
  async close(): Promise<void> {
    this.webhooks.url = undefined;
    for (const run of this.state.workflowRuns.values())
      if (run.status !== 'completed') this.runner.cancel(run);
    await this.activity.idle({ quietMs: 0, timeoutMs: 30_000 }).catch(() => undefined);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Starts a fake GitHub on 127.0.0.1 with a random port. */
export function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return FakeGitHub.start(options);
}
