import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook as a receiver got it. */
export interface ReceivedWebhook {
  event: string;
  deliveryId: string;
  signature: string;
  contentType: string;
  body: string;
  payload: { action?: string } & Record<string, unknown>;
}

/** A local webhook receiver: records every delivery and answers 200 (or `status`). */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Deliveries of one event (and action). */
  events(event: string, action?: string): ReceivedWebhook[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 standing in for the App's webhook endpoint. */
export async function startWebhookReceiver(status = 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => String(request.headers[name] ?? '');
    received.push({
      event: header('x-github-event'),
      deliveryId: header('x-github-delivery'),
      signature: header('x-hub-signature-256'),
      contentType: header('content-type'),
      body,
      payload: JSON.parse(body) as ReceivedWebhook['payload'],
    });
    response.writeHead(status).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    received,
    events: (event, action) =>
      received.filter(
        (hook) => hook.event === event && (action === undefined || hook.payload.action === action),
      ),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
