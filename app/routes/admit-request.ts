import type { Config } from '../../core/config/config-schema.ts';
import type { Logger } from '../../core/log/create-logger.ts';
import { authorizeSender, type Sender } from '../authorize-sender.ts';
import { describeAppError } from '../describe-app-error.ts';
import type { RepoConfig } from '../load-repo-config.ts';
import { postReply, type ReplyTarget } from '../post-reply.ts';

/** A request (a command or a label) addressed to the App, before anything is done for it. */
export interface AdmitRequestInput extends ReplyTarget {
  sender: Sender;
  appLogin: string;
  loaded: RepoConfig;
  /** What the sender tried, for a refusal: "use `/cluster`". */
  attempted: string;
  deliveryId: string;
  log: Logger;
}

/**
 * The guards every request passes, in order: the sender must be allowed (the App itself and unlisted bots are
 * ignored silently; a person without write access gets one polite refusal), then the configuration must be valid
 * (otherwise the allowed sender is answered with its problems and fixes). Returns the configuration when the request
 * may go on, undefined when it was answered or ignored; nothing is dispatched in that case.
 */
export async function admitRequest(input: AdmitRequestInput): Promise<Config | undefined> {
  const { loaded, log } = input;
  const verdict = await authorizeSender(input.octokit, {
    owner: input.owner,
    repo: input.repo,
    sender: input.sender,
    appLogin: input.appLogin,
    // An invalid configuration has no trustworthy list: no bot is allowed until it is fixed.
    allowedBots: loaded.ok ? loaded.config.allowed_bots : [],
    attempted: input.attempted,
  });
  if (verdict.kind === 'ignored') {
    log.debug({ sender: input.sender.login, reason: verdict.reason }, 'request ignored');
    return undefined;
  }
  if (verdict.kind === 'refused') {
    log.info({ sender: input.sender.login }, 'request refused: no write access');
    await postReply(input, verdict.reply);
    return undefined;
  }
  if (!loaded.ok) {
    log.info({ problems: loaded.error.problems }, 'request refused: invalid configuration');
    await postReply(input, describeAppError(loaded.error, input.deliveryId).comment);
    return undefined;
  }
  return loaded.config;
}
