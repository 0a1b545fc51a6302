import { stat } from 'node:fs/promises';
import { stripVTControlCharacters } from 'node:util';
import { InputError } from '../errors/errors.ts';
import type { Agent, AgentRunInput, AgentRunResult } from './agent-contract.ts';
import { checkCommandExecutable } from './check-command-executable.ts';
import { readAgentReport } from './read-agent-report.ts';
import { type ProcessGroupOutcome, runProcessGroup } from './run-process-group.ts';

/** Bytes of stdout a command agent keeps by default (the head; the rest is counted and dropped). */
export const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;
/** Characters of stderr quoted in a failure message. */
const STDERR_QUOTE_CHARS = 500;

/** Options of {@link createCommandAgent}. */
export interface CommandAgentOptions {
  /** Environment the command starts from, before the `CLUSTER_*` variables; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Bytes of stdout kept; defaults to 1 MiB. */
  outputLimit?: number;
  /** Time between SIGTERM and SIGKILL when the agent is stopped; defaults to 2 s. */
  killGraceMs?: number;
}

/**
 * An agent that is any command line (`--agent "<command>"`), run by the agent contract:
 * - the command runs through `/bin/sh -c` in `input.cwd`, as the leader of its own process group;
 * - the prompt arrives on stdin; `CLUSTER_RUN_ID`, `CLUSTER_MODE` (`plan` | `task` | `resolve`) and, when
 *   known, `CLUSTER_TASK_ID`, `CLUSTER_TASK_TITLE` and `CLUSTER_BUDGET_USD` are in its environment;
 * - exit 0 is success; in `plan` mode the plan is printed on stdout;
 * - a timeout or an abort stops the whole process group (SIGTERM, then SIGKILL after a grace period);
 *   files written so far stay where they are.
 *
 * Optional extension: when the last non-empty stdout line is
 * `{"cluster_result": {"summary": "...", "cost_usd": 0.1, "turns": 3}}` (every field optional), the summary,
 * cost and turns are taken from it; otherwise the summary is the last non-empty output lines.
 */
export function createCommandAgent(command: string, options: CommandAgentOptions = {}): Agent {
  if (command.trim() === '') {
    throw new InputError('the agent command is empty; pass one, e.g. --agent "my-agent --headless"');
  }
  if (
    options.outputLimit !== undefined &&
    !(Number.isInteger(options.outputLimit) && options.outputLimit > 0)
  ) {
    throw new InputError(
      `the agent output limit must be a whole number of bytes above 0 (got ${options.outputLimit}); leave it out for 1 MiB`,
    );
  }
  const env = options.env ?? process.env;
  return {
    name: command,
    preflight: () => checkCommandExecutable(command, env),
    run: (input) => runCommandAgent(command, env, options, input),
  };
}

async function runCommandAgent(
  command: string,
  baseEnv: NodeJS.ProcessEnv,
  options: CommandAgentOptions,
  input: AgentRunInput,
): Promise<AgentRunResult> {
  const label = `\`${shorten(command)}\``;
  if (input.signal?.aborted) {
    return notStarted(`agent ${label} was not started because the run was aborted`, { aborted: true });
  }
  if (!(await isDirectory(input.cwd))) {
    return notStarted(`agent ${label} could not start: its working directory ${input.cwd} does not exist`);
  }
  const outcome = await runProcessGroup({
    command,
    cwd: input.cwd,
    env: buildAgentEnv(baseEnv, input),
    stdin: input.prompt,
    outputLimit: options.outputLimit ?? DEFAULT_OUTPUT_LIMIT,
    ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
  });
  const report = readAgentReport(outcome.stdoutTail);
  const error = describeFailure(label, outcome, input.timeoutMs) ?? reportProblem(label, report.problem);
  const dropped =
    outcome.stdoutDroppedBytes > 0
      ? `\n[claude-cluster: ${outcome.stdoutDroppedBytes} more bytes of stdout were not kept]\n`
      : '';
  return {
    ok: error === undefined,
    exitCode: outcome.exitCode,
    timedOut: outcome.timedOut,
    aborted: outcome.aborted,
    stdout: outcome.stdout + dropped,
    summary: report.summary,
    ...(report.costUsd === undefined ? {} : { costUsd: report.costUsd }),
    ...(report.turns === undefined ? {} : { turns: report.turns }),
    ...(error === undefined ? {} : { error }),
    durationMs: outcome.durationMs,
  };
}

/** The process environment plus the contract's variables; stale `CLUSTER_*` values are never inherited. */
function buildAgentEnv(base: NodeJS.ProcessEnv, input: AgentRunInput): NodeJS.ProcessEnv {
  const {
    CLUSTER_TASK_ID: _taskId,
    CLUSTER_TASK_TITLE: _taskTitle,
    CLUSTER_BUDGET_USD: _budget,
    ...inherited
  } = base;
  return {
    ...inherited,
    CLUSTER_RUN_ID: input.runId,
    CLUSTER_MODE: input.mode,
    ...(input.taskId === undefined ? {} : { CLUSTER_TASK_ID: input.taskId }),
    ...(input.taskTitle === undefined ? {} : { CLUSTER_TASK_TITLE: input.taskTitle }),
    ...(input.budgetUsd === undefined ? {} : { CLUSTER_BUDGET_USD: String(input.budgetUsd) }),
  };
}

/** One sentence naming the command and why the run failed; undefined when it succeeded. */
function describeFailure(
  label: string,
  outcome: ProcessGroupOutcome,
  timeoutMs: number | undefined,
): string | undefined {
  const stderr = quoteStderr(outcome.stderrTail);
  if (outcome.spawnError !== undefined) {
    return `agent ${label} could not be started: ${outcome.spawnError.message}`;
  }
  if (outcome.timedOut) {
    return `agent ${label} timed out after ${formatDuration(timeoutMs ?? 0)} and was stopped`;
  }
  if (outcome.aborted) return `agent ${label} was stopped because the run was aborted`;
  if (outcome.exitCode === 127) return `agent command ${label} was not found (exit 127)${colon(stderr)}`;
  if (outcome.exitCode === 126)
    return `agent command ${label} could not be executed (exit 126)${colon(stderr)}`;
  if (outcome.exitCode !== null && outcome.exitCode !== 0) {
    return stderr === ''
      ? `agent ${label} exited ${outcome.exitCode} and printed nothing on stderr`
      : `agent ${label} exited ${outcome.exitCode}: ${stderr}`;
  }
  if (outcome.exitSignal !== null)
    return `agent ${label} was killed by ${outcome.exitSignal}${colon(stderr)}`;
  return undefined;
}

function reportProblem(label: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `agent ${label} exited 0 but ${problem}`;
}

function notStarted(error: string, flags: { aborted?: boolean } = {}): AgentRunResult {
  return {
    ok: false,
    exitCode: null,
    timedOut: false,
    aborted: flags.aborted ?? false,
    stdout: '',
    summary: '',
    error,
    durationMs: 0,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The end of stderr on one line: the last lines are where programs say what went wrong. */
function quoteStderr(tail: string): string {
  const text = stripVTControlCharacters(tail)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' | ');
  return text.length <= STDERR_QUOTE_CHARS ? text : `…${text.slice(text.length - STDERR_QUOTE_CHARS + 1)}`;
}

function colon(text: string): string {
  return text === '' ? '' : `: ${text}`;
}

function shorten(command: string): string {
  const oneLine = command.trim().replace(/\s+/g, ' ');
  return oneLine.length <= 200 ? oneLine : `${oneLine.slice(0, 199)}…`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
