import { sameLogin } from '../authorize-sender.ts';
import { IssueCommentCreatedEventSchema, parsePayload } from '../event-schemas.ts';
import { handleCommand } from '../handlers/handle-command.ts';
import { parseCommand } from '../parse-command.ts';
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
 * `issue_comment.created`: a `/cluster` command on an issue or pull request. Comments that are not commands cost no
 * API call; commands pass the guards (sender, then configuration) and run one at a time per issue.
 */
export async function routeIssueComment(services: AppServices, context: WebhookContext): Promise<void> {
  const event = parsePayload(IssueCommentCreatedEventSchema, context.payload, 'issue_comment.created');
  const appLogin = await services.appLogin();
  if (sameLogin(event.sender.login, appLogin)) return;
  // Every command starts with `/`: other comments are not read further (the command word needs the config).
  if (!event.comment.body.trimStart().startsWith('/')) return;
  const octokit = toEngineOctokit(context.octokit);
  const { owner, repo } = repoOf(event.repository);
  const loaded = await services.configs.load(octokit, { owner, repo }, { maxAgeMs: 0 });
  const word = loaded.triggers.command;
  const command = parseCommand(event.comment.body, word);
  if (command === undefined) return;
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
    attempted: `use \`/${word}\``,
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
      handleCommand(deps, {
        command,
        issueNumber: event.issue.number,
        title: event.issue.title,
        body: event.issue.body ?? '',
        isPullRequest: event.issue.pull_request != null,
        commentId: event.comment.id,
        sender: event.sender.login,
      }),
    ),
  );
}
