import type { ApplicationFunction, Probot } from 'probot';
import { z } from 'zod';
import type { Orchestrator } from '../core/orchestrate/orchestrator.ts';
import { createRepoConfigCache } from './cache-repo-config.ts';
import { createResolveJobRunId } from './resolve-job-run-id.ts';
import type { AppServices, WebhookContext } from './routes/app-services.ts';
import { routeIssueComment } from './routes/route-issue-comment.ts';
import { routeIssueLabeled } from './routes/route-issue-labeled.ts';
import { routePullRequestClosed } from './routes/route-pull-request-closed.ts';
import { routeWorkflowJob, routeWorkflowRun } from './routes/route-workflow-run.ts';
import { createSerializeByKey } from './serialize-by-key.ts';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** The work: the real one in production, a fake in tests. */
  orchestrator: Orchestrator;
  /** The App's slug (its bot is `<slug>[bot]`); read once with `GET /app` when absent. */
  appSlug?: string;
  /** How long a repository's configuration is reused for workflow and pull request events (default 60 s). */
  configMaxAgeMs?: number;
  /**
   * Whether `workflow_job` events arrive (default true). Workflows cannot subscribe to them, so the zero-hosting
   * mode passes false and every completed task run is reconciled instead.
   */
  jobEvents?: boolean;
}

/** The events the App subscribes to (list them in app.yml). */
export const APP_EVENTS = [
  'issues.labeled',
  'issue_comment.created',
  'workflow_run.completed',
  'workflow_job.completed',
  'pull_request.closed',
] as const;

const AuthenticatedAppSchema = z.object({ slug: z.string().min(1) });

/**
 * The Probot app function: routes each event to its route (guards, then a handler) and nothing else. The
 * orchestrator is injected, so tests swap in a fake.
 */
export function createApp(options: CreateAppOptions): ApplicationFunction {
  return (probot: Probot) => {
    const services: AppServices = {
      orchestrator: options.orchestrator,
      serialize: createSerializeByKey(),
      configs: createRepoConfigCache(),
      resolveJobRunId: createResolveJobRunId(),
      appLogin: appLoginOf(probot, options.appSlug),
      configMaxAgeMs: options.configMaxAgeMs ?? 60_000,
      jobEvents: options.jobEvents ?? true,
    };
    const route =
      (handle: (services: AppServices, context: WebhookContext) => Promise<void>) =>
      (context: WebhookContext) =>
        handle(services, context);
    probot.on('issues.labeled', route(routeIssueLabeled));
    probot.on('issue_comment.created', route(routeIssueComment));
    probot.on('workflow_run.completed', route(routeWorkflowRun));
    // Only completions change what the orchestrator decides; a started job is already `running` by its dispatch.
    probot.on('workflow_job.completed', route(routeWorkflowJob));
    probot.on('pull_request.closed', route(routePullRequestClosed));
  };
}

/** The App's bot login, read once (a failed read is tried again on the next event). */
function appLoginOf(probot: Probot, slug: string | undefined): () => Promise<string> {
  if (slug !== undefined) return async () => `${slug}[bot]`;
  let login: Promise<string> | undefined;
  return () => {
    if (login !== undefined) return login;
    const reading = probot
      .auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => `${AuthenticatedAppSchema.parse(data).slug}[bot]`);
    login = reading;
    reading.catch(() => {
      if (login === reading) login = undefined;
    });
    return reading;
  };
}
