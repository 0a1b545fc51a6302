import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiFailure, type ApiResponse } from './api-response.ts';
import type { FaultInjector } from './inject-faults.ts';
import { matchRoute, type Route } from './match-route.ts';
import { checkRoutePermission } from './route-permissions.ts';
import type { TokenRegistry } from './token-registry.ts';

/** Where the request handler records what tests assert on. */
export interface RequestRecords {
  /** `METHOD /path` of every request no route matched. */
  unknownRoutes: string[];
  /** Unexpected exceptions in handlers (bugs of the fake), answered as 500. */
  serverErrors: string[];
}

/** Seconds a rate-limited client is told to wait (`retry-after`). */
const RETRY_AFTER_SECONDS = '1';

/** GitHub's answers when a client exceeded a secondary rate limit (403) or sent too many requests (429). */
function rateLimited(kind: 'secondaryRateLimit' | 'tooManyRequests'): ApiFailure {
  const headers = { 'retry-after': RETRY_AFTER_SECONDS, 'x-ratelimit-remaining': '4999' };
  if (kind === 'tooManyRequests') return new ApiFailure(429, 'Too Many Requests', { headers });
  return new ApiFailure(
    403,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.',
    { headers },
  );
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'Problems parsing JSON');
  }
}

function send(response: ServerResponse, answer: ApiResponse): void {
  const headers: Record<string, string> = {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': `FAKE:${Date.now().toString(16)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...(answer.text === undefined && answer.body !== undefined
      ? { 'content-type': 'application/json; charset=utf-8' }
      : {}),
    ...(answer.text !== undefined ? { 'content-type': 'text/plain; charset=utf-8' } : {}),
    ...answer.headers,
  };
  response.writeHead(answer.status, headers);
  if (answer.text !== undefined) response.end(answer.text);
  else if (answer.body !== undefined && answer.status !== 204) response.end(JSON.stringify(answer.body));
  else response.end();
}

/**
 * Answers one REST request: counts it (and injects a planned fault), finds its route (unknown routes answer 404 and
 * are recorded), checks the credentials and token permissions the route needs, runs the handler and sends its answer.
 */
export async function handleApiRequest(input: {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  routes: readonly Route[];
  tokens: TokenRegistry;
  faults: FaultInjector;
  records: RequestRecords;
}): Promise<void> {
  const { request, response, url } = input;
  const method = request.method ?? 'GET';
  const match = matchRoute(input.routes, method, url.pathname);
  const routeName = match ? `${method} ${match.route.template}` : `${method} (unknown route)`;
  const identity = input.tokens.resolve(request.headers.authorization);
  const fault = input.faults.count(routeName, `${method} ${url.pathname}`, identity.kind);
  if (fault === 'dropConnection') {
    request.socket.destroy();
    return;
  }
  let answer: ApiResponse;
  try {
    if (fault === 'status500') throw new ApiFailure(500, 'Server Error (injected by the fake)');
    if (fault === 'secondaryRateLimit' || fault === 'tooManyRequests') throw rateLimited(fault);
    if (!match) {
      input.records.unknownRoutes.push(`${method} ${url.pathname}`);
      throw new ApiFailure(404, 'Not Found');
    }
    if (match.route.auth === 'jwt' && identity.kind !== 'app') {
      throw new ApiFailure(401, 'A JSON web token could not be decoded');
    }
    if (match.route.auth === 'token' && identity.kind === 'invalid')
      throw new ApiFailure(401, 'Bad credentials');
    if (match.route.auth === 'token' && identity.kind === 'anonymous')
      throw new ApiFailure(401, 'Requires authentication');
    if (match.route.auth === 'token') checkRoutePermission(routeName, identity);
    const body = await readJson(request);
    answer = await match.route.handle({
      params: match.params,
      query: url.searchParams,
      body,
      headers: request.headers,
      identity: identity.kind === 'invalid' ? { kind: 'anonymous' } : identity,
      url: `${url.pathname}${url.search}`,
    });
  } catch (error) {
    if (error instanceof ApiFailure) answer = error.toResponse();
    else {
      input.records.serverErrors.push(
        `${method} ${url.pathname}: ${error instanceof Error ? error.stack : error}`,
      );
      answer = new ApiFailure(
        500,
        `the fake GitHub failed: ${error instanceof Error ? error.message : error}`,
      ).toResponse();
    }
  }
  if (fault === 'dropAfterApply') {
    request.socket.destroy();
    return;
  }
  send(response, answer);
}
