import type { Config } from '../config/config-schema.ts';
import { InputError } from '../errors/errors.ts';
import type { Plan, Task } from '../plan/plan-schema.ts';
import { newDispatchToken } from './dispatch-record.ts';
import { type DispatchInputs, dispatchWorkflow } from './dispatch-workflow.ts';
import type { RepoRef } from './github-ledger.ts';
import type { OrchestratorContext } from './orchestrator.ts';
import type { RunStart } from './run-start.ts';
import { splitIntoDispatches } from './split-dispatch.ts';

/** One workflow dispatch of a wave: the token its jobs carry, the workflow run GitHub created (when it said). */
export interface SentDispatch {
  token: string;
  workflowRun?: number;
  tasks: ReadonlySet<string>;
}

/** What a wave's dispatches are built from. */
export interface WaveSource {
  context: OrchestratorContext;
  runId: string;
  repo: RepoRef;
  issueNumber: number;
  base: string;
  start: RunStart;
  plan: Plan;
  /** The run's configuration (its start entry's): how many of its tasks may run at once. */
  config: Config;
}

/** Stands in for a part's token while the wave is split: every token has the same length. */
const SIZING_TOKEN = '0'.repeat(16);

/**
 * Dispatches a wave of ready tasks: as one matrix when its inputs fit one `workflow_dispatch`, else as several, each
 * within GitHub's limits and carrying its own token. A task that cannot fit a dispatch even alone is refused before
 * anything is sent.
 */
export async function dispatchWave(source: WaveSource, wave: readonly string[]): Promise<SentDispatch[]> {
  const parts = splitIntoDispatches(
    wave,
    (part) => taskDispatchInputs(source, part, SIZING_TOKEN),
    (id, problem) => taskTooLarge(source, id, problem),
  );
  const sent: SentDispatch[] = [];
  for (const part of parts) {
    const token = newDispatchToken();
    const workflowRun = await dispatchWorkflow(
      source.context.octokit,
      source.repo,
      source.context.config.workflow,
      source.context.defaultBranch,
      taskDispatchInputs(source, part, token),
    );
    sent.push({ token, tasks: new Set(part), ...(workflowRun === undefined ? {} : { workflowRun }) });
  }
  return sent;
}

function taskTooLarge(source: WaveSource, id: string, problem: string): InputError {
  const entry = matrixEntry(findTask(source.plan, id), source.start, SIZING_TOKEN);
  return new InputError(
    `task \`${id}\` cannot be dispatched: alone it takes ${problem} (its prompt has ${entry.prompt.length} characters)`,
    [
      `shorten task \`${id}\`'s prompt or split it into smaller tasks`,
      ...(source.start.extraInstructions?.trim()
        ? ['or give shorter instructions after `/cluster`: they are added to every prompt']
        : []),
    ],
  );
}

function findTask(plan: Plan, id: string): Task {
  const task = plan.tasks.find((candidate) => candidate.id === id);
  if (task === undefined) throw new Error(`task \`${id}\` is not in the run's plan`);
  return task;
}

/** The workflow inputs of one dispatch: each matrix entry carries the dispatch token its job checks. */
function taskDispatchInputs(source: WaveSource, ids: readonly string[], token: string): DispatchInputs {
  return {
    'run-id': source.runId,
    'issue-number': source.issueNumber,
    'base-ref': source.base,
    mode: 'task',
    tasks: JSON.stringify(
      ids.map((id) => ({
        ...matrixEntry(findTask(source.plan, id), source.start, token),
        // The App found the run under this prefix (its effective configuration, maybe the owner's `.github` file):
        // the job looks there too instead of trusting its checkout's file.
        branch_prefix: source.context.config.branch_prefix,
      })),
    ),
    // The run's own limit: the repository's file may have changed (or come from elsewhere) since it started.
    'max-parallel': source.config.max_parallel,
  };
}

/** A task as one matrix entry, with the requester's extra instructions added to its prompt. */
function matrixEntry(task: Task, start: RunStart, dispatch: string) {
  const extra = start.extraInstructions?.trim();
  return {
    id: task.id,
    title: task.title,
    prompt: extra
      ? `${task.prompt}\n\nAdditional instructions from @${start.requestedBy}:\n${extra}`
      : task.prompt,
    depends_on: task.depends_on,
    files: task.files,
    dispatch,
  };
}
