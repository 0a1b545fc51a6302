import type { Config } from '../../core/config/config-schema.ts';
import { issueNumberOfRunId } from '../../core/orchestrate/run-id.ts';
import type { EventRepository } from '../event-schemas.ts';
import type { HandlerDeps } from '../handlers/handler-deps.ts';
import {
  type AppServices,
  handlerDeps,
  repoOf,
  toEngineOctokit,
  type WebhookContext,
} from './app-services.ts';

/**
 * Runs work on a cluster run for a workflow or pull request event: with the repository's configuration (reused for
 * `configMaxAgeMs`), for the run `runIdFor` finds with it (none: nothing to do), one at a time per run in this
 * process. With an invalid configuration nothing is done: there is
 * no one to answer here, and the next command on the issue reports the problems. Errors are thrown, so Probot logs
 * them and the delivery shows as failed (a redelivery converges, the orchestrator being level-triggered).
 */
export async function withRunDeps(
  services: AppServices,
  context: WebhookContext,
  input: { repository: EventRepository; runIdFor: (config: Config) => string | undefined },
  work: (deps: HandlerDeps, runId: string) => Promise<void>,
): Promise<void> {
  const octokit = toEngineOctokit(context.octokit);
  const { owner, repo } = repoOf(input.repository);
  const loaded = await services.configs.load(octokit, { owner, repo }, { maxAgeMs: services.configMaxAgeMs });
  if (!loaded.ok) {
    context.log.warn({ problems: loaded.error.problems }, 'event ignored: invalid configuration');
    return;
  }
  const runId = input.runIdFor(loaded.config);
  if (runId === undefined) return;
  const appLogin = await services.appLogin();
  const deps = handlerDeps(services, {
    octokit,
    repository: input.repository,
    config: loaded.config,
    appLogin,
    log: context.log,
  });
  // One key per issue, the same commands and labels use: nothing of one run interleaves within this process.
  const issue = issueNumberOfRunId(runId);
  const key = issue === undefined ? `${owner}/${repo}:run:${runId}` : `${owner}/${repo}#${issue}`;
  await services.serialize(key.toLowerCase(), () => work(deps, runId));
}
