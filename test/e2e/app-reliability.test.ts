import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github.ts';
import type { FaultKind } from '../fake-github/inject-faults.ts';
import { type RunningApp, startApp } from './start-app.ts';

const REPO = 'octo/widgets';
const BODY =
  'Two files.\n\n```cluster\ntasks:\n' +
  '  - { id: one, title: One, prompt: "@write one.txt = 1" }\n' +
  '  - { id: two, title: Two, prompt: "@write two.txt = 2", depends_on: [one] }\n' +
  '```\n';

let fake: FakeGitHub | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  await fake?.close();
});

/**
 * One full run with the k-th GitHub API request failing, then every webhook delivered again in order (what an
 * operator's redelivery does). The run must converge to the same result as without the fault.
 */
async function runWithFault(k: number, kind: FaultKind) {
  fake = await startFakeGitHub();
  app = await startApp(fake);
  await fake.addRepository({
    fullName: REPO,
    files: { 'README.md': '# widgets\n' },
    collaborators: { octocat: 'write' },
  });
  const issue = fake.createIssue(REPO, { title: 'Two files', body: BODY });
  fake.resetApiCallCount();
  fake.failNthRequest(k, kind);
  await fake.labelIssue(REPO, issue.number, 'cluster');
  await fake.idle({ timeoutMs: 120_000 });
  // Replay until nothing changes any more (each pass may unblock the next step).
  for (let pass = 0; pass < 3 && fake.state.pulls(REPO).length === 0; pass++) {
    for (const delivery of [...fake.deliveries]) await fake.redeliver(delivery.id);
    await fake.idle({ timeoutMs: 120_000 });
  }
  return { fake, issue };
}

describe('the App under failing GitHub requests', () => {
  // A sample of positions across a run (about 40 requests for two tasks); every position is a lot of CI time.
  for (const [k, kind] of [
    [1, 'status500'],
    [3, 'dropConnection'],
    [6, 'dropAfterApply'],
    [10, 'status500'],
    [15, 'dropAfterApply'],
    [22, 'dropConnection'],
  ] as const) {
    it(`converges to one pull request with every task when request ${k} fails (${kind}) and events are replayed`, async () => {
      const { fake: github } = await runWithFault(k, kind);
      expect(github.injectedFaults.length).toBe(1);
      const pulls = github.state.pulls(REPO);
      expect(pulls).toHaveLength(1);
      expect(pulls[0]!.body).toContain('2 of 2 tasks integrated');
      const branches = await github.git(REPO, 'branch', '--list', 'cluster/*');
      expect(branches).toMatch(/tasks\/one/);
      expect(branches).toMatch(/tasks\/two/);
      expect((branches.match(/\/integration/g) ?? []).length).toBe(1);
    });
  }
});
