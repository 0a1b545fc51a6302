import { verify } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ExampleEventName, webhookExample } from '../github/webhook-examples.ts';
import { type FakeFixture, startFakeFixture } from './fake-github-fixture.ts';
import { startWebhookReceiver, type WebhookReceiver } from './receive-webhooks.ts';

const SECRET = 'test-secret';
const QUICK_WORKFLOW = `name: quick
run-name: "quick \${{ inputs.run-id }}"
on:
  workflow_dispatch:
    inputs:
      run-id: { required: true, type: string }
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - run: echo one
  fails:
    runs-on: ubuntu-latest
    steps:
      - run: exit 3
`;

let f: FakeFixture;
let receiver: WebhookReceiver;
const where = { owner: 'octo', repo: 'widgets' };
beforeEach(async () => {
  receiver = await startWebhookReceiver();
  f = await startFakeFixture(
    { files: { 'README.md': '# widgets\n', '.github/workflows/quick.yml': QUICK_WORKFLOW } },
    { webhookUrl: receiver.url, webhookSecret: SECRET },
  );
  f.fake.createIssue('octo/widgets', { title: 'Greet', body: 'Please.' });
});
afterEach(async () => {
  await f.close();
  await receiver.close();
});

/** Every top-level key of the example payload is present, and shared keys of the subject have the example's types. */
function expectShapedLike(
  payload: Record<string, unknown>,
  event: ExampleEventName,
  action: string,
  subject: string,
) {
  const example = webhookExample(event, action) as Record<string, unknown>;
  const expectedKeys = Object.keys(example).filter((key) => key !== 'enterprise');
  expect(Object.keys(payload)).toEqual(expect.arrayContaining(expectedKeys));
  const ours = payload[subject] as Record<string, unknown>;
  const theirs = example[subject] as Record<string, unknown>;
  const mismatched = Object.keys(ours).filter(
    (key) =>
      ours[key] !== null && theirs[key] !== null && key in theirs && typeof ours[key] !== typeof theirs[key],
  );
  expect(mismatched).toEqual([]);
}

describe('the fake GitHub’s webhooks', () => {
  it('are signed with the webhook secret (X-Hub-Signature-256) and carry event, delivery id and installation', async () => {
    const delivery = await f.fake.comment('octo/widgets', 1, '/cluster', 'maria');
    expect(delivery.attempts).toEqual([{ status: 200, redelivery: false }]);
    const [hook] = receiver.received;
    expect(hook).toMatchObject({
      event: 'issue_comment',
      deliveryId: delivery.id,
      contentType: 'application/json',
    });
    expect(await verify(SECRET, hook?.body ?? '', hook?.signature ?? '')).toBe(true);
    expect(await verify('another-secret', hook?.body ?? '', hook?.signature ?? '')).toBe(false);
    expect(hook?.payload).toMatchObject({
      action: 'created',
      comment: { body: '/cluster', user: { login: 'maria', type: 'User' } },
      issue: { number: 1 },
      installation: { id: 7 },
      sender: { login: 'maria' },
    });
  });

  it('are redelivered with the same delivery id and body', async () => {
    const delivery = await f.fake.labelIssue('octo/widgets', 1, 'cluster');
    await f.fake.redeliver(delivery.id);
    const [first, again] = receiver.received;
    expect(again?.deliveryId).toBe(first?.deliveryId);
    expect(again?.body).toBe(first?.body);
    expect(delivery.attempts.map((attempt) => attempt.redelivery)).toEqual([false, true]);
  });

  it('are shaped like GitHub’s examples for the events the App handles', async () => {
    await f.fake.labelIssue('octo/widgets', 1, 'cluster');
    await f.fake.comment('octo/widgets', 1, 'hello');
    await f.fake.pushFiles('octo/widgets', 'feature', { 'a.txt': 'a\n' }, { from: 'main' });
    const { number } = await f.fake.openPullRequest('octo/widgets', { head: 'feature' });
    await f.fake.closePullRequest('octo/widgets', number, { merge: true });
    await f.octokit.rest.actions.createWorkflowDispatch({
      ...where,
      workflow_id: 'quick.yml',
      ref: 'main',
      inputs: { 'run-id': '1' },
    });
    await f.fake.idle();
    expectShapedLike(receiver.events('issues', 'labeled')[0]?.payload ?? {}, 'issues', 'labeled', 'issue');
    expectShapedLike(
      receiver.events('issue_comment', 'created')[0]?.payload ?? {},
      'issue_comment',
      'created',
      'comment',
    );
    expectShapedLike(
      receiver.events('pull_request', 'closed')[0]?.payload ?? {},
      'pull_request',
      'closed',
      'pull_request',
    );
    expectShapedLike(
      receiver.events('workflow_run', 'completed')[0]?.payload ?? {},
      'workflow_run',
      'completed',
      'workflow_run',
    );
    expectShapedLike(
      receiver.events('workflow_job', 'completed')[0]?.payload ?? {},
      'workflow_job',
      'completed',
      'workflow_job',
    );
    expect(receiver.events('pull_request', 'closed')[0]?.payload).toMatchObject({
      pull_request: { merged: true, number },
    });
  });

  it('follow a workflow run in order: run requested and in progress, each job queued, in progress, completed, then the run completed', async () => {
    await f.octokit.rest.actions.createWorkflowDispatch({
      ...where,
      workflow_id: 'quick.yml',
      ref: 'main',
      inputs: { 'run-id': '1' },
    });
    await f.fake.idle();
    const sequence = receiver.received
      .filter((hook) => hook.event.startsWith('workflow_'))
      .map((hook) => {
        const job = hook.payload.workflow_job as { name: string; conclusion: string | null } | undefined;
        const run = hook.payload.workflow_run as { conclusion: string | null } | undefined;
        return job
          ? `job ${job.name} ${hook.payload.action} ${job.conclusion ?? ''}`.trim()
          : `run ${hook.payload.action} ${run?.conclusion ?? ''}`.trim();
      });
    expect(sequence.slice(0, 4)).toEqual([
      'run requested',
      'run in_progress',
      'job one queued',
      'job fails queued',
    ]);
    expect(sequence.filter((line) => line.startsWith('job one'))).toEqual([
      'job one queued',
      'job one in_progress',
      'job one completed success',
    ]);
    expect(sequence.filter((line) => line.startsWith('job fails'))).toEqual([
      'job fails queued',
      'job fails in_progress',
      'job fails completed failure',
    ]);
    expect(sequence.at(-1)).toBe('run completed failure');
  });

  describe('caused by API calls', () => {
    it('are not sent by default, and are sent with apiEvents, authored by the token’s account', async () => {
      await f.octokit.rest.issues.createComment({ ...where, issue_number: 1, body: 'quiet' });
      await f.fake.idle();
      expect(receiver.received).toEqual([]);
      const loud = await startFakeFixture({}, { webhookUrl: receiver.url, apiEvents: true });
      try {
        loud.fake.createIssue('octo/widgets', { title: 'x' });
        await loud.octokit.rest.issues.createComment({ ...where, issue_number: 1, body: 'loud' });
        await loud.fake.idle();
        expect(receiver.events('issue_comment', 'created')[0]?.payload).toMatchObject({
          comment: { body: 'loud', user: { login: 'claude-cluster[bot]', type: 'Bot' } },
          sender: { login: 'claude-cluster[bot]' },
        });
      } finally {
        await loud.close();
      }
    });
  });
});
