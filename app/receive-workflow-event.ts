import { readFile } from 'node:fs/promises';
import { Probot, type ProbotOctokit } from 'probot';
import { EnvironmentError } from '../core/errors/errors.ts';
import type { Orchestrator } from '../core/orchestrate/orchestrator.ts';
import { createApp } from './create-app.ts';

/** Author of what the workflow's GITHUB_TOKEN writes: the App's own login in zero-hosting mode. */
const WORKFLOW_BOT_SLUG = 'github-actions';

/** What {@link receiveWorkflowEvent} needs. */
export interface ReceiveWorkflowEventInput {
  /** The job's environment: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_RUN_ID, GITHUB_API_URL. */
  env: NodeJS.ProcessEnv;
  orchestrator: Orchestrator;
  /** Probot's Octokit class; tests pass one with retry and throttling off. */
  Octokit?: typeof ProbotOctokit;
}

/**
 * Zero-hosting mode: hands the event that started this workflow job (`GITHUB_EVENT_PATH`, named by
 * `GITHUB_EVENT_NAME`) to the App's routes, authenticated with the workflow's GITHUB_TOKEN, whose comments are
 * `github-actions[bot]`'s. The delivery id is the workflow run id, so a re-run of the job is the same trigger.
 * Throws an EnvironmentError naming the missing variable or unreadable file; a handler's error is rethrown.
 */
export async function receiveWorkflowEvent(input: ReceiveWorkflowEventInput): Promise<void> {
  const { env } = input;
  const name = required(env, 'GITHUB_EVENT_NAME');
  const path = required(env, 'GITHUB_EVENT_PATH');
  const token = required(env, 'GITHUB_TOKEN');
  const runId = required(env, 'GITHUB_RUN_ID');
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new EnvironmentError(`cannot read the event file ${path} (GITHUB_EVENT_PATH): ${String(error)}`, {
      cause: error,
    });
  }
  const probot = new Probot({
    githubToken: token,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    ...(input.Octokit === undefined ? {} : { Octokit: input.Octokit }),
  });
  await probot.load(
    createApp({ orchestrator: input.orchestrator, appSlug: WORKFLOW_BOT_SLUG, jobEvents: false }),
  );
  // Probot types `receive` per event name; the routes validate the payload of the events they handle.
  const event = { id: `workflow-run-${runId}`, name, payload } as Parameters<Probot['receive']>[0];
  await probot.receive(event);
}

/** What to add when a variable is missing, beyond "the runner sets it". */
const MISSING_HINTS: Record<string, string> = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression the user writes, not a placeholder.
  GITHUB_TOKEN: ' (pass `GITHUB_TOKEN: ${{ github.token }}` in the step’s env)',
};

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new EnvironmentError(
      `${name} is not set; run app/run-in-workflow.ts as a step of the zero-hosting workflow (workflows-templates/claude-cluster-zero-hosting.yml), where the runner sets it${MISSING_HINTS[name] ?? ''}`,
    );
  }
  return value;
}
