import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

// The package's main entry is JSON, which does not import cleanly under NodeNext; only its types are imported.
const require = createRequire(import.meta.url);
const definitions = require('@octokit/webhooks-examples') as WebhookDefinition[];

/** A webhook event name that has examples. */
export type ExampleEventName = WebhookDefinition['name'];
/** The payload type of an event. */
export type ExamplePayload<Name extends ExampleEventName> = WebhookDefinition<Name>['examples'][number];

/**
 * A deep copy of a real payload from `@octokit/webhooks-examples`: the first example of `name` (with `action`, when
 * given). Tests change their copy freely.
 */
export function webhookExample<Name extends ExampleEventName>(
  name: Name,
  action?: string,
): ExamplePayload<Name> {
  const definition = definitions.find((candidate) => candidate.name === name);
  const example = definition?.examples.find(
    (candidate) => action === undefined || (candidate as { action?: string }).action === action,
  );
  if (example === undefined)
    throw new Error(`@octokit/webhooks-examples has no ${name}.${action ?? '*'} example`);
  return structuredClone(example) as ExamplePayload<Name>;
}
