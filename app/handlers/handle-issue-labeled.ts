import type { CommandReply } from '../../core/orchestrate/orchestrator.ts';
import { type HandlerDeps, orchestratorContext } from './handler-deps.ts';

/** An issue that got the configured label. */
export interface IssueLabeledFields {
  issueNumber: number;
  /** The issue's title and current body: untrusted text. */
  title: string;
  body: string;
  /** Login of who added the label, already authorized. */
  sender: string;
  /** `X-GitHub-Delivery`: stable across redeliveries, so a redelivered label starts no second run. */
  deliveryId: string;
}

/** Starts a run for an issue that got the configured label (config `label`) from an authorized sender. */
export async function handleIssueLabeled(
  deps: HandlerDeps,
  fields: IssueLabeledFields,
): Promise<CommandReply> {
  return deps.orchestrator.startRun(orchestratorContext(deps), {
    issueNumber: fields.issueNumber,
    title: fields.title,
    body: fields.body,
    requestedBy: fields.sender,
    triggerId: `label-${fields.issueNumber}-${fields.deliveryId}`,
    planOnly: false,
  });
}
