import type { Logger } from '../core/log/create-logger.ts';
import type { CommandReply } from '../core/orchestrate/orchestrator.ts';
import { describeAppError } from './describe-app-error.ts';
import { postReply, type ReplyTarget } from './post-reply.ts';

/** Where a command's answer goes, and what identifies its delivery in the logs. */
export interface CommandReplyTarget extends ReplyTarget {
  deliveryId: string;
  log: Logger;
}

/**
 * Runs a command's work and posts what it says; an error becomes ONE user-facing comment (see describeAppError) and,
 * when it is not the user's to fix, an error log line with the delivery id. The error is not rethrown: the person
 * was answered, and a redelivery would only answer again.
 */
export async function replyToCommand(
  target: CommandReplyTarget,
  work: () => Promise<CommandReply>,
): Promise<void> {
  let comment: string | undefined;
  try {
    ({ comment } = await work());
  } catch (error) {
    const described = describeAppError(error, target.deliveryId);
    if (described.unexpected)
      target.log.error({ err: error, deliveryId: target.deliveryId }, 'command failed');
    else target.log.info({ deliveryId: target.deliveryId, reason: String(error) }, 'command refused');
    comment = described.comment;
  }
  if (comment !== undefined && comment !== '') await postReply(target, comment);
}
