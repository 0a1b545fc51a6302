import type { Config } from '../config/config-schema.ts';
import type { LedgerRecord } from '../integrate/read-ledger.ts';
import type { Plan, Task } from '../plan/plan-schema.ts';
import { deriveRunState, type RunState } from './derive-run-state.ts';
import { expiredTokens, formatDispatchRecord } from './dispatch-record.ts';
import { dispatchWave, type SentDispatch } from './dispatch-wave.ts';
import {
  type BranchTip,
  type PendingEntry,
  type RepoRef,
  readLedgerFromGitHub,
  tryAppendLedgerEntries,
} from './github-ledger.ts';
import type { OrchestratorContext } from './orchestrator.ts';
import type { RunStart } from './run-start.ts';

/** Rounds of decide-then-append before giving up on a branch that keeps moving (each round re-reads it). */
const MAX_ROUNDS = 8;

/** A task job that ended, as the `workflow_job.completed` event tells it. */
export interface EndedJob {
  taskId: string;
  conclusion: string;
  url?: string;
  /** The workflow run the job belonged to; a job of a dispatch that lost the race is not the task's. */
  workflowRunId?: number;
}

/** The run as it stands after {@link advanceRun}: its ledger, head and derived state. */
export interface AdvancedRun {
  ledger: LedgerRecord[];
  tip: BranchTip;
  state: RunState;
}

/** What {@link advanceRun} works on. */
export interface AdvanceInput {
  context: OrchestratorContext;
  runId: string;
  repo: RepoRef;
  ledgerBranch: string;
  /** The branch a task's work is pushed to. */
  taskBranch: (taskId: string) => string;
  issueNumber: number;
  base: string;
  start: RunStart;
  plan: Plan;
  config: Config;
  ledger: LedgerRecord[];
  tip: BranchTip;
  endedJob?: EndedJob;
}

/**
 * Moves a run forward from its ledger: records the failure of a job that ended without an outcome, records skipped
 * dependents, and dispatches the ready tasks as one matrix. The dispatch is sent first, then recorded with a
 * compare-and-swap of the ledger branch: the first `dispatch` entry naming a task's attempt owns it, and every
 * job checks that its dispatch token owns its task before it works. A refused swap (a job landed, another replica
 * acted) re-reads the ledger and decides again; tasks someone else owns meanwhile are dropped from the record, and
 * their jobs from this dispatch stop without working. A crash between the dispatch and the record leaves jobs that
 * find no owner and stop; their completion events reconcile the run again, which dispatches the tasks anew.
 */
export async function advanceRun(input: AdvanceInput): Promise<AdvancedRun> {
  const { context, plan } = input;
  let { ledger, tip } = input;
  // The dispatches this call sent (several when the wave does not fit one); it dispatches once, and again only for
  // tasks whose dispatch expired.
  let sent: SentDispatch[] = [];
  let mayDispatch = true;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let state = deriveRunState(plan, ledger, input.config);
    const outcomes = outcomesToRecord(input, ledger, state);
    // Decide the wave on the ledger as it will be once the outcomes are recorded (a skip can unblock nothing, a
    // recorded failure can free a slot).
    const provisional = [...ledger, ...outcomes.map(provisionalRecord)];
    if (outcomes.length > 0) state = deriveRunState(plan, provisional, input.config);
    const sentTask = (id: string) => sent.some((part) => part.tasks.has(id));
    const unsent = state.ready.filter((id) => !sentTask(id));
    if (mayDispatch && unsent.length > 0) {
      sent = [...sent, ...(await dispatchWave(input, unsent))];
      mayDispatch = false;
    }
    const entries: PendingEntry[] = [...outcomes];
    // Only tasks in a matrix that was sent can be recorded as dispatched, each part under its own token.
    for (const part of sent) {
      const wave = state.ready.filter((id) => part.tasks.has(id));
      if (wave.length === 0) continue;
      entries.push({
        subject: `Dispatch ${wave.length} task(s): ${wave.join(', ')}`,
        entry: {
          event: 'dispatch',
          run: input.runId,
          excerpt: formatDispatchRecord({
            token: part.token,
            tasks: wave.map((id) => ({ id, attempt: state.tasks.get(id)?.attempt ?? 1 })),
            ...(part.workflowRun === undefined ? {} : { workflowRun: part.workflowRun }),
          }),
        },
      });
    }
    if (entries.length === 0) return { ledger, tip, state };
    const appended = await tryAppendLedgerEntries(
      context.octokit,
      input.repo,
      input.ledgerBranch,
      entries,
      tip,
    );
    if (appended !== undefined) {
      ledger = [...ledger, ...appended.records];
      return { ledger, tip: appended.tip, state: deriveRunState(plan, ledger, input.config) };
    }
    const reread = await readLedgerFromGitHub(context.octokit, input.repo, input.ledgerBranch, input.runId);
    if (reread.tip === undefined)
      throw new Error(`ledger branch \`${input.ledgerBranch}\` disappeared during the run`);
    ({ ledger, tip } = { ledger: reread.ledger, tip: reread.tip });
    // Their jobs gave up waiting for the record: those dispatches are void, and their tasks may be sent again now.
    const expired = expiredTokens(ledger);
    const live = sent.filter((part) => !expired.has(part.token));
    if (live.length < sent.length) mayDispatch = true;
    sent = live;
  }
  throw new Error(
    `could not record run \`${input.runId}\`'s progress: \`${input.ledgerBranch}\` kept moving under ${MAX_ROUNDS} attempts; the next event will try again`,
  );
}

/**
 * Outcomes the orchestrator decides itself: a job that ended without recording one, then the dependents skipped
 * because of it or of earlier failures.
 */
function outcomesToRecord(input: AdvanceInput, ledger: LedgerRecord[], state: RunState): PendingEntry[] {
  const entries: PendingEntry[] = [];
  const ended = input.endedJob;
  const task = ended && state.tasks.get(ended.taskId);
  let current = state;
  if (
    ended &&
    task?.state === 'running' &&
    ended.conclusion !== 'success' &&
    // A job of another dispatch (one that lost the race) says nothing about the owning dispatch's job.
    (ended.workflowRunId === undefined ||
      task.dispatch?.workflowRun === undefined ||
      task.dispatch.workflowRun === ended.workflowRunId)
  ) {
    const reason = `its job ended (${ended.conclusion}) without recording an outcome${ended.url ? `; see ${ended.url}` : ''}`;
    const failure = outcomeEntry(input, findTask(input.plan, ended.taskId), 'failed', reason);
    entries.push(failure);
    // Its dependents are skipped in the same update.
    current = deriveRunState(input.plan, [...ledger, provisionalRecord(failure)], input.config);
  }
  for (const skip of current.toSkip)
    entries.push(outcomeEntry(input, findTask(input.plan, skip.id), 'skipped', skip.reason));
  return entries;
}

function outcomeEntry(
  input: AdvanceInput,
  task: Task,
  status: 'failed' | 'skipped',
  reason: string,
): PendingEntry {
  return {
    subject: `Record task ${task.id} as ${status}: ${task.title}`,
    entry: {
      event: 'task',
      run: input.runId,
      task: task.id,
      status,
      branch: status === 'failed' ? input.taskBranch(task.id) : '',
      files: [],
      conflicts: [],
      resolution: 'none',
      reason,
    },
  };
}

/** An outcome as the ledger will hold it, for deciding before it is written. */
function provisionalRecord(pending: PendingEntry): LedgerRecord {
  const entry = pending.entry;
  if (entry.event !== 'task') throw new Error('only task outcomes are decided provisionally');
  return {
    event: 'task',
    run: entry.run,
    task: entry.task,
    status: entry.status,
    branch: entry.branch ?? '',
    files: [],
    conflicts: [],
    resolution: 'none',
    ledgerCommit: '',
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
  };
}

function findTask(plan: Plan, id: string): Task {
  const task = plan.tasks.find((candidate) => candidate.id === id);
  if (task === undefined) throw new Error(`task \`${id}\` is not in the run's plan`);
  return task;
}
