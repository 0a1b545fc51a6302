/**
 * The GitHub client the engine accepts: `@octokit/rest`'s Octokit, as a type only, so `core/` has no runtime
 * dependency on a particular client. Each runtime builds its own instance (the action in
 * `action/create-octokit.ts`, the App through Probot) with retry and throttling, and passes it in.
 */
export type { Octokit } from '@octokit/rest';
