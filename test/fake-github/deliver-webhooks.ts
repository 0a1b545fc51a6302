import { createHmac, randomUUID } from 'node:crypto';
import type { ActivityTracker } from './track-activity.ts';
import type { TrafficValidator } from './validate-traffic.ts';

/** One attempt to deliver a webhook. */
export interface DeliveryAttempt {
  /** HTTP status the receiver answered, or undefined when it could not be reached. */
  status: number | undefined;
  error?: string;
  redelivery: boolean;
}

/** A webhook delivery: same id and body on every redelivery, as on GitHub. */
export interface WebhookDelivery {
  id: string;
  event: string;
  action: string | undefined;
  /** The exact JSON body sent (and signed). */
  body: string;
  attempts: DeliveryAttempt[];
}

/** `sha256=<hex>`: the `X-Hub-Signature-256` of a body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Sends signed webhooks to the App's URL. `deliver` sends at once (tests use it to send the same event many times
 * concurrently); `emit`, used for events the fake causes itself, sends one at a time in order by default, so a
 * `workflow_job.completed` never overtakes the `queued` of the same job.
 */
export class WebhookSender {
  url: string | undefined;
  readonly deliveries: WebhookDelivery[] = [];
  private readonly secret: string;
  private readonly activity: ActivityTracker;
  private readonly ordered: boolean;
  private readonly timeoutMs: number;
  private readonly validator: TrafficValidator;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: {
    url: string | undefined;
    secret: string;
    activity: ActivityTracker;
    ordered: boolean;
    timeoutMs: number;
    /** Checks every payload against GitHub's webhook description before it is sent. */
    validator: TrafficValidator;
  }) {
    this.url = options.url;
    this.secret = options.secret;
    this.activity = options.activity;
    this.ordered = options.ordered;
    this.timeoutMs = options.timeoutMs;
    this.validator = options.validator;
  }

  /** Delivers an event now with a new delivery id; resolves when the receiver answered (or failed). */
  deliver(event: string, payload: object): Promise<WebhookDelivery> {
    const action = (payload as { action?: unknown }).action;
    this.validator.checkWebhook(event, payload);
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      event,
      action: typeof action === 'string' ? action : undefined,
      body: JSON.stringify(payload),
      attempts: [],
    };
    this.deliveries.push(delivery);
    return this.activity.track(() => this.send(delivery, false));
  }

  /** Queues an event the fake caused; it is delivered after the ones queued before it (unless unordered). */
  emit(event: string, payload: object): void {
    const end = this.activity.begin();
    const send = () => this.deliver(event, payload).finally(end);
    if (!this.ordered) {
      void send();
      return;
    }
    this.queue = this.queue.then(send, send);
  }

  /** Sends an earlier delivery again: same id, same body, same signature. */
  redeliver(id: string): Promise<WebhookDelivery> {
    const delivery = this.deliveries.find((candidate) => candidate.id === id);
    if (!delivery) throw new Error(`no webhook delivery ${id}; ids are in fake.deliveries`);
    return this.activity.track(() => this.send(delivery, true));
  }

  private async send(delivery: WebhookDelivery, redelivery: boolean): Promise<WebhookDelivery> {
    if (this.url === undefined) {
      delivery.attempts.push({ status: undefined, error: 'no webhook URL configured', redelivery });
      return delivery;
    }
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/fake',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.id,
          'x-github-hook-id': '1',
          'x-github-hook-installation-target-type': 'integration',
          'x-hub-signature-256': signBody(delivery.body, this.secret),
          'x-hub-signature': `sha1=${createHmac('sha1', this.secret).update(delivery.body).digest('hex')}`,
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer();
      delivery.attempts.push({ status: response.status, redelivery });
    } catch (error) {
      delivery.attempts.push({
        status: undefined,
        error: error instanceof Error ? error.message : String(error),
        redelivery,
      });
    }
    return delivery;
  }
}
