import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { z } from 'zod';
import { InputError } from '../core/errors/errors.ts';
import { readIssue } from '../core/github/read-issue.ts';
import { withRedactedOutput } from '../core/run/job-secrets.ts';
import type { ActionInputs } from './action-inputs.ts';
import { buildAgentEnvironment, chooseModelCredential } from './agent-environment.ts';
import { createActionAgent } from './create-action-agent.ts';
import { createOctokit } from './create-octokit.ts';
import { describeActionError } from './describe-action-error.ts';
import type { ToolCache } from './install-claude-code.ts';
import { applyActionInputs, loadActionConfig } from './load-action-config.ts';
import { maskSecrets, SECRET_INPUT_NAMES } from './mask-secrets.ts';
import { readActionInputs } from './read-action-inputs.ts';
import { type ActionEvent, readEvent } from './read-event.ts';
import { planRunConfig } from './read-plan-run-config.ts';
import { runPlanMode } from './run-plan-mode.ts';
import { runTaskMode } from './run-task-mode.ts';
import { takeGitCredentials } from './take-git-credentials.ts';

/**
 * The action: reads and validates its inputs, runs `plan` or `task` mode, sets the outputs. The only place that
 * turns errors into `core.setFailed`.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readActionInputs((name) => core.getInput(name));
    maskSecrets(inputs, (value) => core.setSecret(value));
    // The values masked above, in one list: never committed, pushed or written out, and kept from the verify command.
    const secrets = SECRET_INPUT_NAMES.map((name) => inputs[name]).filter(
      (value): value is string => value !== undefined && value.trim() !== '',
    );
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const event = await readEvent(env);
    const trustedRef = `refs/remotes/origin/${event.repository.default_branch}`;
    const config = await loadActionConfig(workspace, inputs, trustedRef);
    const agentContext = {
      inputs,
      config,
      env,
      toolDir: env.RUNNER_TOOL_CACHE ?? `${tmpdir()}/claude-cluster-tools`,
      cache: actionsCache,
      warn: (message: string) => core.warning(message),
    };
    // Every agent's output is redacted: a plan is published on the issue, summaries go into commits and the ledger.
    const createAgent = async (config = agentContext.config) =>
      withRedactedOutput(await createActionAgent({ ...agentContext, config }), secrets);
    if (inputs.mode === 'plan') {
      const octokit = createOctokit({
        token: inputs['github-token'] ?? '',
        baseUrl: env.GITHUB_API_URL,
        log: core,
      });
      // A run the App started plans with the configuration it recorded, not necessarily the checkout's file.
      const planConfig = await planRunConfig({
        octokit,
        owner: event.repository.owner.login,
        repo: event.repository.name,
        inputs,
        config,
        log: core,
      });
      await runPlanMode({
        inputs,
        event,
        octokit,
        config: planConfig,
        workspace,
        // Without any credential the issue can still be planned from its own plan block or task list.
        agent: hasAgentCredential(inputs) ? await createAgent(planConfig) : undefined,
        setOutput: (name, value) => core.setOutput(name, value),
        summary: { write: async (markdown) => void (await core.summary.addRaw(markdown).write()) },
        log: core,
        runUrl: runUrl(env),
      });
      return;
    }
    const runId = inputs['run-id'];
    if (runId === undefined)
      throw new InputError('task mode needs the `run-id` input: the run the task belongs to');
    const gitEnv = await takeGitCredentials(workspace, {
      token: inputs['github-token'],
      serverUrl: env.GITHUB_SERVER_URL,
    });
    const outcome = await runTaskMode({
      taskJson: inputs.task,
      runId,
      base: inputs['base-ref'] ?? event.repository.default_branch,
      readIssue: () => readIssueText(inputs, event, env),
      config,
      applyInputs: (recorded) => applyActionInputs(recorded, inputs),
      workspace,
      tempDir: env.RUNNER_TEMP ?? tmpdir(),
      trustedConfigRef: trustedRef,
      verifyEnv: buildAgentEnvironment(env, {
        credential: {},
        secrets,
        agentKind: 'command',
      }),
      gitEnv,
      createAgent,
      setOutput: (name, value) => core.setOutput(name, value),
      writeSummary: async (markdown) => void (await core.summary.addRaw(markdown).write()),
      secrets,
      dispatchTimeoutMs: dispatchWaitMs(env),
    });
    if ('standDown' in outcome) core.notice(`claude-cluster: nothing to do: ${outcome.standDown}`);
    else if (outcome.failure) core.setFailed(outcome.failure);
  } catch (error) {
    core.setFailed(describeActionError(error));
  }
}

const DispatchWaitSchema = z.coerce.number().int().min(1).max(3600);

/**
 * `CLAUDE_CLUSTER_DISPATCH_WAIT_SECONDS`: how long a task job waits for the App to record its dispatch before it
 * stands down (default 120 s); tests shorten it. A value that is not 1–3600 whole seconds is refused.
 */
function dispatchWaitMs(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.CLAUDE_CLUSTER_DISPATCH_WAIT_SECONDS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = DispatchWaitSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      `CLAUDE_CLUSTER_DISPATCH_WAIT_SECONDS is \`${raw}\`; set it to whole seconds from 1 to 3600, or remove it for the default of 120`,
    );
  }
  return parsed.data * 1000;
}

/**
 * @actions/cache, loaded only when Claude Code is installed (it is a large part of the bundle); when the runner
 * offers no cache service it is skipped. Failures become warnings in the installer.
 */
const actionsCache: ToolCache = {
  restore: async (paths, key) => {
    const cache = await import('@actions/cache');
    return cache.isFeatureAvailable() ? cache.restoreCache(paths, key) : undefined;
  },
  save: async (paths, key) => {
    const cache = await import('@actions/cache');
    if (cache.isFeatureAvailable()) await cache.saveCache(paths, key);
  },
};

/**
 * The issue's title and text for the agent's context. An extra: without a token or on an API failure the task runs
 * from its own prompt, with a warning.
 */
async function readIssueText(
  inputs: ActionInputs,
  event: ActionEvent,
  env: NodeJS.ProcessEnv,
): Promise<{ title?: string; body?: string }> {
  const number = inputs['issue-number'] ?? event.issue?.number;
  if (number === undefined || !inputs['github-token']) return {};
  try {
    const octokit = createOctokit({ token: inputs['github-token'], baseUrl: env.GITHUB_API_URL, log: core });
    const issue = await readIssue(octokit, {
      owner: event.repository.owner.login,
      repo: event.repository.name,
      issueNumber: number,
    });
    return { title: issue.title, body: issue.body };
  } catch (error) {
    core.warning(
      `could not read issue #${number} for context (${error instanceof Error ? error.message : error}); the task runs from its own prompt`,
    );
    return {};
  }
}

function hasAgentCredential(inputs: ActionInputs): boolean {
  return (
    inputs.agent !== undefined ||
    chooseModelCredential(
      {
        'anthropic-api-key': inputs['anthropic-api-key'],
        'claude-code-oauth-token': inputs['claude-code-oauth-token'],
        'use-bedrock': inputs['use-bedrock'],
        'use-vertex': inputs['use-vertex'],
      },
      { required: false },
    ) !== undefined
  );
}

function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}
