import type { IncomingHttpHeaders } from 'node:http';
import type { ApiResponse } from './api-response.ts';
import type { Identity } from './token-registry.ts';

/** What a handler gets: decoded path parameters, the query, the parsed JSON body and who is calling. */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  identity: Identity;
  /** The request URL (path and query), for `Link` headers. */
  url: string;
}

/** Which credentials a route accepts: the App's JWT (`/app/...`) or a token (installation, job or user). */
export type RouteAuth = 'jwt' | 'token';

/** One REST route. `template` is GitHub's (`/repos/{owner}/{repo}/issues/{issue_number}`); it names the route in counts. */
export interface Route {
  method: string;
  template: string;
  auth: RouteAuth;
  handle(request: RouteRequest): ApiResponse | Promise<ApiResponse>;
  pattern: RegExp;
  keys: string[];
}

/** Parameters that are always numbers in GitHub's API; matching them as digits keeps `/issues/comments` apart. */
const NUMERIC = new Set([
  'issue_number',
  'comment_id',
  'pull_number',
  'run_id',
  'job_id',
  'check_run_id',
  'installation_id',
]);

/**
 * Defines a route. `{name}` matches one path segment, `{name+}` the rest of the path (refs and file paths hold
 * slashes). Parameters arrive URL-decoded: Octokit encodes `heads/main` as `heads%2Fmain`.
 */
export function defineRoute(
  method: string,
  template: string,
  handle: Route['handle'],
  auth: RouteAuth = 'token',
): Route {
  const keys: string[] = [];
  const source = template
    .replace(/[.*?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)(\+?)\}/g, (_, key: string, rest) => {
      keys.push(key);
      if (rest === '+') return '(.+)';
      return NUMERIC.has(key) ? '(\\d+)' : '([^/]+)';
    });
  return {
    method,
    template: template.replace('+}', '}'),
    auth,
    handle,
    pattern: new RegExp(`^${source}$`),
    keys,
  };
}

/** The first route matching the method and path, with its decoded parameters. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((key, index) => {
      params[key] = decodeURIComponent(match[index + 1] ?? '');
    });
    return { route, params };
  }
  return undefined;
}
