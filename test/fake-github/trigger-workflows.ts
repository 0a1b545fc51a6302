import { parse } from 'yaml';
import { runGit } from '../../core/git/run-git.ts';
import type { FakeRepository, FakeState } from './fake-state.ts';
import { readCommit, resolveCommit } from './git-store.ts';
import {
  causedByWorkflowToken,
  isTriggerEvent,
  skipsWorkflows,
  type TriggerFields,
  TriggerFieldsSchema,
  workflowMatchesEvent,
} from './match-workflow-trigger.ts';
import { readWorkflowFile, type TriggerEvent, type Workflow } from './read-workflow-file.ts';
import type { ActivityTracker } from './track-activity.ts';
import type { TriggerRequest } from './triggered-run.ts';

/** GitHub runs no workflow more than three `workflow_run` links after the run that started the chain. */
const MAX_CHAIN_DEPTH = 3;

/** A workflow file as read at a commit: parsed, or the reason it cannot be. */
type WorkflowFile = { path: string; workflow: Workflow } | { path: string; problem: string; on: unknown };

/** Whether an `on:` value (string, list or map) names the event, for files that are not valid workflows. */
function namesEvent(on: unknown, event: string): boolean {
  if (typeof on === 'string') return on === event;
  if (Array.isArray(on)) return on.includes(event);
  return typeof on === 'object' && on !== null && event in on;
}

/**
 * Starts the workflows an event triggers, as GitHub does on every event: each `.github/workflows/*.yml` of the
 * repository (at the default branch; at the pull request's head for `pull_request`, at the pushed commit for `push`)
 * whose `on:` names the event and accepts it ({@link workflowMatchesEvent}) gets a run, unless the event was caused
 * with a workflow's `GITHUB_TOKEN`, or the head commit of a `push` or `pull_request` says `[skip ci]` (or a variant). Events are handled one at a time in the order they happened, so runs are created in that order.
 */
export class WorkflowTriggers {
  private readonly state: FakeState;
  private readonly start: (request: TriggerRequest) => Promise<unknown>;
  private readonly activity: ActivityTracker;
  private readonly onError: (message: string) => void;
  /** Parsed workflow files by blob sha, and the files of a commit: files rarely change, events are many. */
  private readonly parsed = new Map<string, WorkflowFile>();
  private readonly filesAt = new Map<string, WorkflowFile[]>();
  private queue: Promise<void> = Promise.resolve();

  constructor(deps: {
    state: FakeState;
    start: (request: TriggerRequest) => Promise<unknown>;
    activity: ActivityTracker;
    onError: (message: string) => void;
  }) {
    this.state = deps.state;
    this.start = deps.start;
    this.activity = deps.activity;
    this.onError = deps.onError;
  }

  /** Handles an event after the ones fired before it; events no workflow can start on are ignored at once. */
  fire(event: string, payload: object): void {
    if (!isTriggerEvent(event)) return;
    const end = this.activity.begin();
    this.queue = this.queue
      .then(() => this.handle(event, payload))
      .catch((error: unknown) =>
        this.onError(`starting workflows on ${event}: ${error instanceof Error ? error.stack : error}`),
      )
      .finally(end);
  }

  private async handle(event: TriggerEvent, payload: object): Promise<void> {
    const fields = TriggerFieldsSchema.parse(payload);
    if (causedByWorkflowToken(event, fields)) return;
    const repo = this.state.repository(fields.repository.full_name);
    if (!repo) return;
    const chainDepth = this.chainDepth(event, fields);
    if (chainDepth > MAX_CHAIN_DEPTH) return;
    const pull = event === 'pull_request' ? fields.pull_request : undefined;
    const pushed = event === 'push' ? fields.ref : undefined;
    // A deleted branch or tag starts no `push` workflow.
    if (pushed !== undefined && (fields.deleted === true || fields.after === undefined)) return;
    const branch = pull?.head.ref ?? pushed?.replace(/^refs\/(heads|tags)\//, '') ?? repo.defaultBranch;
    const sha =
      pull?.head.sha ??
      (pushed !== undefined ? fields.after : await resolveCommit(repo.bareDir, repo.defaultBranch));
    if (sha === undefined) return;
    const head = pull || pushed !== undefined ? await readCommit(repo.bareDir, sha) : undefined;
    if (head !== undefined && skipsWorkflows(head.message)) return;
    const common = {
      repo,
      event,
      payload,
      ref: pull ? `refs/pull/${pull.number}/merge` : (pushed ?? `refs/heads/${branch}`),
      branch,
      sha,
      actor: this.state.user(fields.sender.login),
      title: pull?.title ?? fields.issue?.title ?? head?.message.split('\n')[0] ?? '',
      chainDepth,
    };
    for (const file of await this.workflowFiles(repo, sha)) {
      if ('workflow' in file) {
        if (!workflowMatchesEvent(file.workflow, event, fields)) continue;
        await this.start({
          ...common,
          path: file.path,
          workflow: file.workflow,
          title: common.title || file.workflow.name,
        });
      } else if (namesEvent(file.on, event)) {
        await this.start({
          ...common,
          path: file.path,
          workflow: invalidWorkflow(file.path),
          problem: file.problem,
        });
      }
    }
  }

  private chainDepth(event: TriggerEvent, fields: TriggerFields): number {
    if (event !== 'workflow_run' || fields.workflow_run === undefined) return 0;
    return (this.state.workflowRuns.get(fields.workflow_run.id)?.chainDepth ?? 0) + 1;
  }

  /** The workflow files of `.github/workflows/` at a commit, parsed (once per file content). */
  private async workflowFiles(repo: FakeRepository, sha: string): Promise<WorkflowFile[]> {
    const known = this.filesAt.get(`${repo.bareDir}:${sha}`);
    if (known !== undefined) return known;
    const files = await this.readWorkflowFiles(repo, sha);
    this.filesAt.set(`${repo.bareDir}:${sha}`, files);
    return files;
  }

  private async readWorkflowFiles(repo: FakeRepository, sha: string): Promise<WorkflowFile[]> {
    const listing = await runGit(['ls-tree', `${sha}:.github/workflows`], {
      cwd: repo.bareDir,
      okExitCodes: [128],
    });
    if (listing.exitCode !== 0) return [];
    const files: WorkflowFile[] = [];
    for (const line of listing.stdout.split('\n')) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.+\.ya?ml)$/.exec(line);
      if (!match) continue;
      const [, blob = '', name = ''] = match;
      const path = `.github/workflows/${name}`;
      let file = this.parsed.get(blob);
      if (file === undefined) {
        const text = (await runGit(['cat-file', 'blob', blob], { cwd: repo.bareDir })).stdout;
        file = parseWorkflowFile(text, path);
        this.parsed.set(blob, file);
      }
      files.push({ ...file, path });
    }
    return files;
  }
}

function parseWorkflowFile(text: string, path: string): WorkflowFile {
  try {
    return { path, workflow: readWorkflowFile(text, path) };
  } catch (error) {
    let on: unknown;
    try {
      on = (parse(text) as { on?: unknown } | null)?.on;
    } catch {
      // Not even YAML: no event can be told to start it.
    }
    return { path, problem: error instanceof Error ? error.message : String(error), on };
  }
}

/** The stand-in for a file GitHub cannot run: the run is named after the file and fails with the problem. */
function invalidWorkflow(path: string): Workflow {
  return {
    path,
    name: path,
    runName: undefined,
    dispatchInputs: undefined,
    triggers: {},
    concurrency: undefined,
    permissions: undefined,
    env: {},
    jobs: [],
  };
}
