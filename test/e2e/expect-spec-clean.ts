import type { FakeGitHub } from '../fake-github/fake-github.ts';

/**
 * Fails, listing each one, when a request the App or the action made, a response the fake sent or a webhook it
 * delivered does not match GitHub's published description (`test/github-spec/`), or a request went to a route the
 * fake lacks (so nothing checked it). Call it after each scenario.
 */
export function expectTrafficMatchesSpec(fake: FakeGitHub): void {
  const violations = [
    ...fake.unknownRoutes.map((request) => `request ${request}\n  matches no route of the fake GitHub`),
    ...fake.specViolations,
  ];
  if (violations.length === 0) return;
  throw new Error(
    `${violations.length} requests, responses or webhooks do not match GitHub's published description ` +
      `(test/github-spec/):\n\n${violations.join('\n\n')}`,
  );
}
