import { codeSpan } from '../../core/report/escape-markdown.ts';
import { sameLogin } from '../authorize-sender.ts';
import { IssueLabeledEventSchema, parsePayload } from '../event-schemas.ts';
import { handleIssueLabeled } from '../handlers/handle-issue-labeled.ts';
import { replyToCommand } from '../reply-to-command.ts';
import { admitRequest } from './admit-request.ts';
import {
  type AppServices,
  handlerDeps,
  repoOf,
  toEngineOctokit,
  type WebhookContext,
} from './app-services.ts';

/**
 * `issues.labeled`: the configured label starts a run. The labeler passes the same guards as a command's sender;
 * runs start one at a time per issue.
 */
export async function routeIssueLabeled(services: AppServices, context: WebhookContext): Promise<void> {
  const event = parsePayload(IssueLabeledEventSchema, context.payload, 'issues.labeled');
  const appLogin = await services.appLogin();
  if (sameLogin(event.sender.login, appLogin)) return;
  const octokit = toEngineOctokit(context.octokit);
  const { owner, repo } = repoOf(event.repository);
  const loaded = await services.configs.load(octokit, { owner, repo }, { maxAgeMs: 0 });
  const label = loaded.triggers.label;
  // Label names are unique regardless of case on GitHub.
  if (event.label.name.toLowerCase() !== label.toLowerCase()) return;
  const target = {
    octokit,
    owner,
    repo,
    issueNumber: event.issue.number,
    deliveryId: context.id,
    log: context.log,
  };
  const config = await admitRequest({
    ...target,
    sender: event.sender,
    appLogin,
    loaded,
    attempted: `start a run with the ${codeSpan(label)} label`,
  });
  if (config === undefined) return;
  const deps = handlerDeps(services, {
    octokit,
    repository: event.repository,
    config,
    appLogin,
    log: context.log,
  });
  await services.serialize(`${owner}/${repo}#${event.issue.number}`.toLowerCase(), () =>
    replyToCommand(target, () =>
      handleIssueLabeled(deps, {
        issueNumber: event.issue.number,
        title: event.issue.title,
        body: event.issue.body ?? '',
        sender: event.sender.login,
        deliveryId: context.id,
      }),
    ),
  );
}
