/**
 * The GitHub client the engine accepts: `@octokit/rest`'s Octokit, as a type only, so `core/` has no runtime
 * dependency on a particular client. Each runtime builds its own instance (the action in
 * `action/create-octokit.ts`, the App through Probot) with retry and throttling, and passes it in.
 */
export type { Octokit } from '@octokit/rest';

/**
 * The HTTP status of a failed Octokit request (a `RequestError`), or undefined for any other error. Callers branch
 * on this, never on message text.
 */
export function requestStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const { status } = error;
  return typeof status === 'number' ? status : undefined;
}
