import { Octokit } from '@octokit/rest';
import { expect } from 'vitest';
import {
  type FakeGitHub,
  type FakeGitHubOptions,
  type RepositoryOptions,
  startFakeGitHub,
} from './fake-github.ts';

/** A started fake with one repository and an Octokit on the App's installation token. */
export interface FakeFixture {
  fake: FakeGitHub;
  /** `@octokit/rest` pointed at the fake, as the App's installation. */
  octokit: Octokit;
  owner: string;
  repo: string;
  /** Asserts the fake saw no unknown route and had no internal error, then closes it. */
  close(): Promise<void>;
}

/** Octokit on the fake with a token; no retries, so an injected failure reaches the test. */
export function fakeOctokit(fake: FakeGitHub, token: string): Octokit {
  return new Octokit({
    baseUrl: fake.url,
    auth: token,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

/** Starts a fake GitHub holding `octo/widgets`. */
export async function startFakeFixture(
  repository: RepositoryOptions = {},
  options: FakeGitHubOptions = {},
): Promise<FakeFixture> {
  const fake = await startFakeGitHub(options);
  await fake.addRepository(repository);
  return {
    fake,
    octokit: fakeOctokit(fake, fake.installationToken()),
    owner: 'octo',
    repo: 'widgets',
    async close() {
      try {
        expect(fake.unknownRoutes).toEqual([]);
        expect(fake.serverErrors).toEqual([]);
      } finally {
        await fake.close();
      }
    },
  };
}

/** The status of a failed Octokit request. */
export async function statusOf(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { status?: number; response?: { data?: { message?: string } } };
    return { status: failure.status ?? 0, message: failure.response?.data?.message ?? String(error) };
  }
  throw new Error('the request succeeded; a failure was expected');
}
