import nock from 'nock';
import { type ActionInputs, ActionInputsSchema, type ActionOutputName } from '../../action/action-inputs.ts';
import { type ActionEvent, parseEvent } from '../../action/read-event.ts';
import type { PlanModeDeps } from '../../action/run-plan-mode.ts';
import type { Agent } from '../../core/agent/agent-contract.ts';
import { type Config, type ConfigInput, ConfigSchema } from '../../core/config/config-schema.ts';
import { API, commentResponse, issueResponse, testOctokit } from '../github/github-api.ts';
import { webhookExample } from '../github/webhook-examples.ts';

/** The repository of the `issues.labeled` example payload. */
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const COMMENTS = `/repos/${OWNER}/${REPO}/issues/1/comments`;
/** The clock of every plan-mode test. */
export const NOW = new Date('2026-11-24T07:47:12.345Z');

/** What a plan-mode test set up and what plan mode produced. */
export interface PlanModeHarness {
  deps: PlanModeDeps;
  outputs: Map<ActionOutputName, string>;
  summaries: string[];
  logs: string[];
}

/** Action inputs as the runner passes them: strings, '' when unset. */
export function actionInputs(values: Record<string, string> = {}): ActionInputs {
  return ActionInputsSchema.parse({ mode: 'plan', ...values });
}

/** The `issues.labeled` example event, its (stale) issue body replaced. */
export function labeledEvent(body = 'stale body from the event'): ActionEvent {
  const payload = webhookExample('issues', 'labeled');
  payload.issue.body = body;
  return parseEvent(payload);
}

/** Deps for runPlanMode that record outputs, summaries and log lines. */
export function planModeHarness(options: {
  workspace: string;
  agent: Agent | undefined;
  inputs?: ActionInputs;
  event?: ActionEvent;
  config?: ConfigInput;
}): PlanModeHarness {
  const outputs = new Map<ActionOutputName, string>();
  const summaries: string[] = [];
  const logs: string[] = [];
  const config: Config = ConfigSchema.parse(options.config ?? {});
  return {
    outputs,
    summaries,
    logs,
    deps: {
      inputs: options.inputs ?? actionInputs(),
      event: options.event ?? labeledEvent(),
      octokit: testOctokit(),
      config,
      workspace: options.workspace,
      agent: options.agent,
      setOutput: (name, value) => outputs.set(name, value),
      summary: { write: (markdown) => void summaries.push(markdown) },
      log: { info: (message) => void logs.push(message) },
      now: () => NOW,
    },
  };
}

/** Mocks `GET` of issue #1 answering with `body` as its current body and `title` as its title. */
export function mockIssue(body: string, title = 'Add user accounts'): void {
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/issues/1`)
    .reply(200, issueResponse({ number: 1, title, body }));
}

/** Mocks the comment list (empty unless given) and a comment creation; returns the posted bodies. */
export function mockCreateComment(existing: ReturnType<typeof commentResponse>[] = []): { bodies: string[] } {
  const bodies: string[] = [];
  nock(API).get(COMMENTS).query({ per_page: 100 }).reply(200, existing);
  nock(API)
    .post(COMMENTS, (body: { body: string }) => {
      bodies.push(body.body);
      return true;
    })
    .reply(201, commentResponse({ id: 99, body: '', login: 'github-actions[bot]' }));
  return { bodies };
}

/** Records every request nock had no mock for (they fail); read `requests` after the code under test ran. */
export function recordUnmatchedRequests(): { requests: string[]; stop(): void } {
  const requests: string[] = [];
  // nock hands over a fetch Request (url) for fetch clients and request options (path) for http ones.
  const listener = (request: { method?: string; url?: string; path?: string }) => {
    requests.push(`${request.method ?? '?'} ${request.url ?? request.path ?? '?'}`);
  };
  nock.emitter.on('no match', listener);
  return { requests, stop: () => nock.emitter.removeListener('no match', listener) };
}
