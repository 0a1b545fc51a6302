import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { stubAgentCommand } from '../helpers/temp-repo.ts';
import type { Permission } from './fake-state.ts';
import type { RunEventAction, RunnerOptions } from './run-workflows.ts';
import type { TokenPermissions } from './token-permissions.ts';

/** The root of this repository (action.yml, dist/, workflows-templates/). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The workflow the App dispatches, as users copy it into `.github/workflows/claude-cluster.yml`. */
export const CLUSTER_WORKFLOW = readFileSync(
  join(REPO_ROOT, 'workflows-templates', 'claude-cluster.yml'),
  'utf8',
);

/** Where {@link CI_WORKFLOW} lives in a repository. */
export const CI_WORKFLOW_PATH = '.github/workflows/ci.yml';

/**
 * A user's CI: runs on every push and every pull request (opened, synchronize, reopened) of every branch, one job of
 * one quick step. Give it to a test repository with `addRepository({ ci: true })`; count its runs with
 * {@link FakeGitHub.ciRuns}.
 */
export const CI_WORKFLOW = `name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo "CI on $GITHUB_EVENT_NAME at $GITHUB_SHA"
`;

/** Options of {@link startFakeGitHub}; every one has a default. */
export interface FakeGitHubOptions {
  /** Where webhooks go (the App's endpoint); can be set later through `fake.webhookUrl`. */
  webhookUrl?: string;
  /** Secret webhooks are signed with (`X-Hub-Signature-256`). Default `fake-webhook-secret`. */
  webhookSecret?: string;
  /**
   * The App: id (default 1), slug (default `claude-cluster`, so its bot is `claude-cluster[bot]`), installation id
   * (default 7), its permissions and webhook events (default: what `app.yml` asks for; the manifest does not ask for
   * `workflows`, so the App cannot push workflow files unless a test grants `workflows: 'write'`).
   */
  app?: {
    id?: number;
    slug?: string;
    installationId?: number;
    permissions?: TokenPermissions;
    events?: string[];
  };
  /** The largest file a push may add, in bytes. Default 100 MiB, GitHub's limit; tests lower it. */
  maxFileBytes?: number;
  /**
   * The repository's default `GITHUB_TOKEN` permissions for workflows and jobs without `permissions:`: `read`
   * (contents and packages read, GitHub's default since 2023) or `write` (every scope). Default `read`.
   */
  defaultWorkflowPermissions?: 'read' | 'write';
  /** The `agent` input of every action step. Default: the stub agent on the Node running the tests. */
  agentCommand?: string;
  /** More inputs for every action step, over the workflow's `with:` (e.g. `{ 'on-conflict': 'skip' }`). */
  actionInputs?: Record<string, string>;
  /** The `secrets` context of dispatched workflows. */
  secrets?: Record<string, string>;
  /**
   * Extra environment for every job step. By default task jobs wait 5 s (not 120 s) for the App to record their
   * dispatch (`CLAUDE_CLUSTER_DISPATCH_WAIT_SECONDS`), so a dispatch lost to a fault resolves quickly.
   */
  jobEnv?: Record<string, string>;
  /** The action bundle run for action steps. Default `dist/index.js` of this repository. */
  actionBundle?: string;
  /** Most jobs running at once across all runs. Default 4. */
  runners?: number;
  /** `workflow_run` actions sent. Default all: requested, in_progress, completed (as GitHub does). */
  runEvents?: RunEventAction[];
  /**
   * Send webhooks for changes made through the API (comments created, pull requests opened or closed), as GitHub does.
   * Default false. Ref updates (`push`, `pull_request.synchronize`) are always sent to the events the App subscribes to.
   */
  apiEvents?: boolean;
  /** How long a webhook receiver may take to answer before the delivery counts as failed. Default 10 s, as on GitHub. */
  deliveryTimeoutMs?: number;
  /** Deliver the events the fake causes one at a time, in order. Default true. */
  orderedDeliveries?: boolean;
  /** Root of `html_url`s. Default https://github.com. */
  webUrl?: string;
}

/** What {@link FakeGitHub.addRepository} creates. */
export interface RepositoryOptions {
  /** `owner/name`, default `octo/widgets`. */
  fullName?: string;
  defaultBranch?: string;
  /** Files of the first commit. Default a README. */
  files?: Record<string, string>;
  /** Text of `.github/workflows/claude-cluster.yml`; the template by default; false for none. */
  workflow?: string | false;
  /** Adds the user's CI ({@link CI_WORKFLOW}) as `.github/workflows/ci.yml` to the first commit. */
  ci?: boolean;
  /** Roles by login; the owner is admin. */
  collaborators?: Record<string, Permission>;
  private?: boolean;
}

/** Reads action.yml's input defaults (e.g. `github-token: ${{ github.token }}`): the runner applies them. */
export function readActionDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(action.inputs ?? {}).flatMap(([name, input]) =>
      input.default === undefined ? [] : [[name, String(input.default)]],
    ),
  );
}

/** An RSA private key (PEM) for Probot's `privateKey`; the fake accepts any JWT, signed with any key. */
export function createAppPrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
}

/**
 * The workflow runner's settings from the fake's options (defaults: the stub agent, dist/index.js, 4 runners, a
 * 5 s dispatch wait).
 */
export function runnerOptions(options: FakeGitHubOptions, root: string): RunnerOptions {
  return {
    actionBundle: options.actionBundle ?? join(REPO_ROOT, 'dist', 'index.js'),
    actionDefaults: readActionDefaults(),
    actionInputs: { agent: options.agentCommand ?? stubAgentCommand(), ...options.actionInputs },
    secrets: options.secrets ?? {},
    extraEnv: { CLAUDE_CLUSTER_DISPATCH_WAIT_SECONDS: '5', ...options.jobEnv },
    runners: options.runners ?? 4,
    runEvents: options.runEvents ?? ['requested', 'in_progress', 'completed'],
    defaultPermissions: options.defaultWorkflowPermissions ?? 'read',
    root,
  };
}
