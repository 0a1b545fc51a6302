/**
 * A scripted stand-in for the Anthropic Messages API on 127.0.0.1, so the real Claude Code executable can
 * run a whole session offline. The main conversation (requests that offer tools) gets the script's turns
 * in order; every side request the CLI makes (title generation, quota checks, …) gets a short plain text.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { type FakeScript, type FakeTurn, fakeScriptSchema } from './fake-script.ts';
import { writeMessageEvents, writeMessageJson } from './write-message.ts';

/** A request the fake server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON body, or undefined for an empty or non-JSON body. */
  body: unknown;
  /** Whether the request was answered from the script (the main conversation). */
  scripted: boolean;
}

/** A running fake Messages API. */
export interface FakeMessagesApi {
  /** Value for `ANTHROPIC_BASE_URL`. */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Paths the fake does not implement (answered 404), for finding out what a CLI version calls. */
  readonly unknownPaths: string[];
  close(): Promise<void>;
}

const messagesRequestSchema = z
  .object({
    model: z.string(),
    stream: z.boolean().optional(),
    tools: z.array(z.unknown()).optional(),
  })
  .loose();

const sideAnswer: FakeTurn = { blocks: [{ type: 'text', text: 'ok' }] };

/** Starts a fake Messages API on a random loopback port that answers according to `script`. */
export async function startFakeMessagesApi(script: FakeScript): Promise<FakeMessagesApi> {
  const parsed = fakeScriptSchema.parse(script);
  const requests: RecordedRequest[] = [];
  const unknownPaths: string[] = [];
  let nextTurn = 0;
  const closing = new AbortController();

  const pickTurn = (): FakeTurn => {
    const turn = parsed.turns[nextTurn];
    nextTurn += 1;
    return (
      turn ?? parsed.whenExhausted ?? { blocks: [{ type: 'text', text: 'The fake script is exhausted.' }] }
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const body = parseJson(raw);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';

    if (method === 'POST' && path === '/v1/messages') {
      const request = messagesRequestSchema.safeParse(body);
      if (!request.success) {
        requests.push({ method, path, body, scripted: false });
        sendJson(res, 400, apiError('invalid_request_error', 'the fake Messages API got a malformed body'));
        return;
      }
      // The main agent loop always offers tools; title generation and quota probes do not.
      const scripted = (request.data.tools?.length ?? 0) > 0;
      requests.push({ method, path, body, scripted });
      const turn = scripted ? pickTurn() : sideAnswer;
      if (scripted && parsed.delayMs > 0) {
        // Aborted by close(), so a slow answer never outlives the server.
        const waited = await delay(parsed.delayMs, true, { signal: closing.signal }).catch(() => false);
        if (!waited || res.destroyed) return;
      }
      if ('errorStatus' in turn) {
        sendJson(res, turn.errorStatus, apiError('api_error', turn.errorMessage));
        return;
      }
      if (request.data.stream === true) writeMessageEvents(res, request.data.model, turn.blocks);
      else writeMessageJson(res, request.data.model, turn.blocks);
      return;
    }

    requests.push({ method, path, body, scripted: false });
    if (method === 'POST' && path === '/v1/messages/count_tokens') {
      sendJson(res, 200, { input_tokens: Math.ceil(raw.length / 4) });
      return;
    }
    unknownPaths.push(`${method} ${path}`);
    sendJson(
      res,
      404,
      apiError('not_found_error', `the fake Messages API does not implement ${method} ${path}`),
    );
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, apiError('api_error', String(error)));
      else res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    unknownPaths,
    close: async () => {
      closing.abort();
      // Keep-alive sockets of a killed CLI would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function apiError(type: string, message: string): unknown {
  return { type: 'error', error: { type, message } };
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}
