import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../fake-github/fake-github.ts';
import type { FaultKind } from '../fake-github/inject-faults.ts';
import { startApp } from './start-app.ts';

const REPO = 'octo/widgets';
const BODY =
  'Two files.\n\n```cluster\ntasks:\n' +
  '  - { id: one, title: One, prompt: "@write one.txt = 1" }\n' +
  '  - { id: two, title: Two, prompt: "@write two.txt = 2", depends_on: [one] }\n' +
  '```\n';
/** Runs in flight at once: each has its own fake GitHub, App and runners. */
const CONCURRENT_RUNS = 4;

/** What one run ended with, as a user would check it. */
interface RunOutcome {
  /** The routes of the requests before the replay, in order. */
  requests: string[];
  injected: number;
  pulls: number;
  body: string;
  taskBranches: string[];
  integrationBranches: number;
  agentRuns: Record<string, number>;
  /** Traffic that does not match GitHub's published description (`FakeGitHub.specViolations`). */
  specViolations: readonly string[];
}

/** Each run gets its own App id and installation: installation tokens must not leak between the runs in flight. */
let nextApp = 0;

/**
 * One full run (label → pull request) with the k-th GitHub API request failing (none when k is undefined), then
 * every webhook delivered again in order, as an operator's redelivery does, until the pull request exists.
 */
async function runWithFault(k: number | undefined, kind: FaultKind): Promise<RunOutcome> {
  nextApp += 1;
  let fake: FakeGitHub | undefined;
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    fake = await startFakeGitHub({ app: { id: nextApp, installationId: 1000 + nextApp } });
    // Injected faults make handlers fail by design; their error logs would bury the result.
    app = await startApp(fake, { logLevel: 'fatal' });
    await fake.addRepository({
      fullName: REPO,
      files: { 'README.md': '# widgets\n' },
      collaborators: { octocat: 'write' },
    });
    const issue = fake.createIssue(REPO, { title: 'Two files', body: BODY });
    fake.resetApiCallCount();
    if (k !== undefined) fake.failNthRequest(k, kind);
    await fake.labelIssue(REPO, issue.number, 'cluster');
    await fake.idle({ timeoutMs: 120_000 });
    const requests = fake.apiCallCount().sequence;
    for (let pass = 0; pass < 3 && fake.state.pulls(REPO).length === 0; pass++) {
      for (const delivery of [...fake.deliveries]) await fake.redeliver(delivery.id);
      await fake.idle({ timeoutMs: 120_000 });
    }
    const branches = (await fake.git(REPO, 'branch', '--list', 'cluster/*'))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    // Each task job that ran its agent reports `integrated` (or another outcome); jobs that stood down say `not-run`.
    const agentRuns: Record<string, number> = {};
    for (const run of fake.state.runs(REPO))
      for (const job of fake.state.runJobs(run.id)) {
        const task = /^task (\S+)/.exec(job.name)?.[1];
        if (task !== undefined && job.outputs.status !== undefined && job.outputs.status !== 'not-run')
          agentRuns[task] = (agentRuns[task] ?? 0) + 1;
      }
    const pulls = fake.state.pulls(REPO);
    return {
      requests,
      injected: fake.injectedFaults.length,
      pulls: pulls.length,
      body: pulls[0]?.body ?? '',
      taskBranches: branches.filter((branch) => branch.includes('/tasks/')).map((b) => b.split('/').at(-1)!),
      integrationBranches: branches.filter((branch) => branch.endsWith('/integration')).length,
      agentRuns,
      specViolations: fake.specViolations,
    };
  } finally {
    await app?.close();
    await fake?.close();
  }
}

/** What is wrong with an outcome, compared with a run without faults; empty when it converged. */
function problems(outcome: RunOutcome): string[] {
  const found: string[] = [];
  if (outcome.injected !== 1) found.push(`${outcome.injected} faults injected`);
  if (outcome.pulls !== 1) found.push(`${outcome.pulls} pull requests`);
  if (!outcome.body.includes('2 of 2 tasks integrated')) found.push('the pull request lacks a task');
  if (outcome.taskBranches.sort().join() !== 'one,two')
    found.push(`task branches ${outcome.taskBranches.join(', ')}`);
  if (outcome.integrationBranches !== 1) found.push(`${outcome.integrationBranches} integration branches`);
  for (const task of ['one', 'two'])
    if ((outcome.agentRuns[task] ?? 0) > 1)
      found.push(`task ${task}'s agent ran ${outcome.agentRuns[task]} times`);
  // A retried or replayed request is still one GitHub documents, and so is every answer.
  for (const violation of outcome.specViolations) found.push(`against GitHub's description: ${violation}`);
  return found;
}

describe('the App under failing GitHub requests', () => {
  it('converges to the same single pull request, each agent run once, whichever request of a run fails (500, a dropped connection, a change whose answer is lost) once the events are replayed', async () => {
    const baseline = await runWithFault(undefined, 'status500');
    expect(problems({ ...baseline, injected: 1 })).toEqual([]);
    // Every request fails once before the server acts on it. The first change of each kind (dispatch, ledger
    // update, comment, pull request…) is also made with its answer lost; every one of them would cost CI minutes.
    const firstChanges = new Set(
      baseline.requests
        .filter((route) => !route.startsWith('GET '))
        .map((route) => baseline.requests.indexOf(route)),
    );
    const cases = baseline.requests.flatMap((route, index) => {
      const kinds: FaultKind[] = ['status500', 'dropConnection'];
      if (firstChanges.has(index)) kinds.push('dropAfterApply');
      return kinds.map((kind) => ({ k: index + 1, kind, route }));
    });
    const limit = pLimit(CONCURRENT_RUNS);
    const results = await Promise.all(
      cases.map((fault) =>
        limit(async () => ({ ...fault, problems: problems(await runWithFault(fault.k, fault.kind)) })),
      ),
    );
    console.log(
      `Fault injection: ${cases.length} runs over the ${baseline.requests.length} requests of a run: each failing with a 500 and with a dropped connection, and the first change of each kind made with its answer lost`,
    );
    expect(results.filter((result) => result.problems.length > 0)).toEqual([]);
  }, 900_000);
});
