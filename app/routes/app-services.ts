import type { ProbotOctokit } from 'probot';
import type { Config } from '../../core/config/config-schema.ts';
import type { Octokit } from '../../core/github/octokit-types.ts';
import { DEFAULT_BOT_LOGIN } from '../../core/github/publish-plan-comment.ts';
import type { Logger } from '../../core/log/create-logger.ts';
import type { Orchestrator } from '../../core/orchestrate/orchestrator.ts';
import type { RepoConfigCache } from '../cache-repo-config.ts';
import type { EventRepository } from '../event-schemas.ts';
import type { HandlerDeps } from '../handlers/handler-deps.ts';
import type { ResolveJobRunId } from '../resolve-job-run-id.ts';
import type { SerializeByKey } from '../serialize-by-key.ts';

/** What the routes share for the life of the App. */
export interface AppServices {
  orchestrator: Orchestrator;
  serialize: SerializeByKey;
  configs: RepoConfigCache;
  resolveJobRunId: ResolveJobRunId;
  /** The App's bot login, `<slug>[bot]`. */
  appLogin: () => Promise<string>;
  /** How long a configuration is reused for workflow and pull request events, in milliseconds. */
  configMaxAgeMs: number;
  /** `workflow_job` events arrive (the hosted App); false in zero-hosting mode, where workflows cannot get them. */
  jobEvents: boolean;
}

/** The parts of Probot's `Context` a route uses. */
export interface WebhookContext {
  /** `X-GitHub-Delivery`. */
  id: string;
  payload: unknown;
  octokit: ProbotOctokit;
  log: Logger;
}

/**
 * Probot's Octokit as the engine's type. The engine's `Octokit` is `@octokit/rest`'s, which also has the legacy
 * top-level endpoint methods (`octokit.issues.…`) that Probot's lacks; the engine uses only `rest`, `request` and
 * `paginate`, and the assignment below checks those (and the rest of the client core) match.
 */
export function toEngineOctokit(octokit: ProbotOctokit): Octokit {
  const used: Pick<Octokit, 'rest' | 'request' | 'paginate' | 'graphql' | 'hook' | 'log' | 'auth'> = octokit;
  return used as Octokit;
}

/** The repository an event happened in, as owner and name. */
export function repoOf(repository: EventRepository): { owner: string; repo: string } {
  return { owner: repository.owner.login, repo: repository.name };
}

/** Handler deps for a repository whose configuration is valid. */
export function handlerDeps(
  services: AppServices,
  input: { octokit: Octokit; repository: EventRepository; config: Config; appLogin: string; log: Logger },
): HandlerDeps {
  return {
    orchestrator: services.orchestrator,
    octokit: input.octokit,
    ...repoOf(input.repository),
    config: input.config,
    defaultBranch: input.repository.default_branch,
    ...(input.repository.html_url ? { repoUrl: input.repository.html_url } : {}),
    // Run records are written by the App, or by the plan-mode workflow with its GITHUB_TOKEN.
    trustedAuthors: [...new Set([input.appLogin, DEFAULT_BOT_LOGIN])],
    log: input.log,
  };
}
