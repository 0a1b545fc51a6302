import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit as RestOctokit } from '@octokit/rest';
import { EnvironmentError } from '../core/errors/errors.ts';
import type { Octokit } from '../core/github/octokit-types.ts';

/** Sent with every request, so a repository's owner can tell our calls apart in their audit log. */
export const USER_AGENT = 'claude-cluster';

/**
 * Where the client logs, in `@actions/core`'s words (pass `core` itself). Octokit's per-request lines and the errors
 * it logs before throwing go to `debug` (callers report failures themselves; an `error` would add an annotation for
 * every handled 404); deprecations and rate-limit waits go to `warning`.
 */
export interface OctokitLog {
  debug(message: string): void;
  warning(message: string): void;
}

/** Options of {@link createOctokit}. */
export interface CreateOctokitOptions {
  /** The `github-token` input. */
  token: string;
  /** API root, `GITHUB_API_URL` on GitHub Enterprise Server; https://api.github.com by default. */
  baseUrl?: string;
  /** Retry server errors (5xx, dropped connections) with backoff; on by default, off in tests. */
  retry?: boolean;
  /** Queue mutations and wait out rate limits (`retry-after`); on by default, off in tests. */
  throttle?: boolean;
  /** Retries of one rate-limited request before it fails (default 3). */
  maxRateLimitRetries?: number;
  /** Longest `retry-after` waited out, in seconds (default 300); a longer one fails the request at once. */
  maxRetryAfterSeconds?: number;
  log?: OctokitLog;
}

const RestWithPlugins = RestOctokit.plugin(retry, throttling);

/**
 * THE Octokit factory of the action runtime: `@octokit/rest` with the retry plugin (server errors) and the
 * throttling plugin (mutations serialized; primary and secondary rate limits waited out as `retry-after` says, up to
 * `maxRetryAfterSeconds`, at most `maxRateLimitRetries` times). Throws an EnvironmentError when the token is empty.
 */
export function createOctokit(options: CreateOctokitOptions): Octokit {
  if (options.token.trim() === '') {
    throw new EnvironmentError(
      'the `github-token` input is empty; leave it unset to use the workflow’s `github.token`, or pass a token that can read and comment on issues',
    );
  }
  const maxRetries = options.maxRateLimitRetries ?? 3;
  const maxWait = options.maxRetryAfterSeconds ?? 300;
  const log = options.log;
  const octokitLog = log && {
    debug: (message: string) => log.debug(message),
    info: (message: string) => log.debug(message),
    warn: (message: string) => log.warning(message),
    error: (message: string) => log.debug(message),
  };
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < maxRetries && retryAfter <= maxWait;
      log?.warning(
        `GitHub ${kind} for ${request.method} ${request.url}; ${retrying ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${maxRetries})` : 'giving up'}`,
      );
      return retrying;
    };
  return new RestWithPlugins({
    auth: options.token,
    userAgent: USER_AGENT,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl.replace(/\/+$/, '') }),
    ...(octokitLog === undefined ? {} : { log: octokitLog }),
    retry: { enabled: options.retry ?? true },
    throttle:
      (options.throttle ?? true)
        ? { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') }
        : { enabled: false },
  });
}
