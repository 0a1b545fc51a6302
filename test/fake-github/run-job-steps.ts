import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { type ExpressionContext, evaluateText } from './evaluate-expression.ts';
import type { RunConclusion } from './fake-state.ts';
import type { WorkflowStep } from './read-workflow-file.ts';
import { runCheckoutStep } from './run-checkout-step.ts';
import { spawnStep } from './spawn-step.ts';

/** Everything one job needs to run its steps like a runner. */
export interface JobSteps {
  steps: WorkflowStep[];
  context: ExpressionContext;
  /** Scratch directory of the job (workspace, runner temp, event file). */
  jobDir: string;
  cloneUrl: string;
  /** Checked out when `actions/checkout` has no `ref`: the dispatch's branch. */
  defaultRef: string;
  /** The job's `GITHUB_TOKEN`. */
  token: string;
  /** `GITHUB_SERVER_URL`: the fake's address, so the action's credential header matches the clone URL. */
  serverUrl: string;
  /** The event payload written to `GITHUB_EVENT_PATH`. */
  event: object;
  /** `GITHUB_*` variables of the job. */
  githubEnv: Record<string, string>;
  /** Extra environment for every step. */
  extraEnv: Record<string, string>;
  /** The bundled action (`dist/index.js`) run for every step that `uses:` an action other than checkout and setup-node. */
  actionBundle: string;
  /** action.yml input defaults (may hold expressions such as `${{ github.token }}`). */
  actionDefaults: Record<string, string>;
  /** Inputs added over every action step's `with:` (e.g. `agent`: the stub agent). */
  actionInputs: Record<string, string>;
  signal: AbortSignal;
  log(text: string): void;
  onStep(index: number, status: 'in_progress' | 'completed', conclusion: RunConclusion | null): void;
}

/** What the job left: its conclusion and the action step's outputs and summary. */
export interface JobStepsResult {
  conclusion: RunConclusion;
  outputs: Record<string, string>;
  summary: string;
}

/** `GITHUB_OUTPUT` holds `name<<delimiter\nvalue\ndelimiter` blocks (and plain `name=value` lines). */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^\n<=]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  for (const match of text.matchAll(/^([^\n<=]+)=(.*)$/gm)) outputs[match[1]!] = match[2]!;
  return outputs;
}

/** The step's display name, as the runner shows it. */
export function stepName(step: WorkflowStep): string {
  return (
    step.name ?? (step.uses !== undefined ? `Run ${step.uses}` : `Run ${(step.run ?? '').split('\n')[0]}`)
  );
}

/** Dependency installs the fake skips: linked checkouts come with their node_modules, nothing else needs any. */
const INSTALL_SCRIPT = /^\s*npm\s+(ci|install)\b[^\n]*$/;

/**
 * `GITHUB_*` variables that follow the run's event (`github.event_name`, `github.ref`, `github.sha`), for runs an
 * event started as well as dispatched ones.
 */
function eventEnv(context: ExpressionContext): Record<string, string> {
  const { event_name: name, ref, ref_name: refName, sha } = context.github;
  const entries: [string, unknown][] = [
    ['GITHUB_EVENT_NAME', name],
    ['GITHUB_REF', ref],
    ['GITHUB_REF_NAME', refName],
    ['GITHUB_SHA', sha],
  ];
  return Object.fromEntries(
    entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * Runs a job's steps in order, stopping at the first failure: `actions/checkout` by {@link runCheckoutStep},
 * `actions/setup-node` as the Node running the fake (first on PATH for the later steps), `npm ci` / `npm install`
 * as nothing, other `run:` steps with bash (in `working-directory`), and any other `uses:` step as the bundled
 * action with `INPUT_*` from action.yml defaults, the step's `with:` and `actionInputs`.
 */
export async function runJobSteps(job: JobSteps): Promise<JobStepsResult> {
  const workspace = join(job.jobDir, 'workspace');
  const temp = join(job.jobDir, 'temp');
  const eventPath = join(job.jobDir, 'event.json');
  await mkdir(workspace, { recursive: true });
  await mkdir(temp, { recursive: true });
  await writeFile(eventPath, JSON.stringify(job.event));
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_PATH: eventPath,
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: join(job.jobDir, 'tools'),
    RUNNER_OS: 'Linux',
    GIT_TERMINAL_PROMPT: '0',
    ...job.githubEnv,
    ...eventEnv(job.context),
    ...job.extraEnv,
  };
  const git = (args: string[]) =>
    spawnStep('git', args, { cwd: job.jobDir, env: baseEnv, signal: job.signal, log: job.log });
  const result: JobStepsResult = { conclusion: 'success', outputs: {}, summary: '' };
  for (const [index, step] of job.steps.entries()) {
    if (job.signal.aborted) return { ...result, conclusion: 'cancelled' };
    job.onStep(index, 'in_progress', null);
    job.log(`##[group]${stepName(step)} ${new Date().toISOString()}\n`);
    const stepEnv = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([name, value]) => [name, evaluateText(value, job.context)]),
    );
    let code: number | null;
    const script = step.run === undefined ? undefined : evaluateText(step.run, job.context);
    if (step.uses?.startsWith('actions/checkout')) {
      code = await runCheckoutStep({
        step,
        context: job.context,
        workspace,
        repository: job.githubEnv.GITHUB_REPOSITORY ?? '',
        cloneUrl: job.cloneUrl,
        serverUrl: job.serverUrl,
        token: job.token,
        defaultRef: job.defaultRef,
        git,
        log: job.log,
      });
    } else if (step.uses?.startsWith('actions/setup-node')) {
      // The Node running the fake is the one the workflow asks for (24); later steps find it first on PATH.
      baseEnv.PATH = `${dirname(process.execPath)}${delimiter}${baseEnv.PATH ?? ''}`;
      job.log(`using ${process.execPath} (${process.version})\n`);
      code = 0;
    } else if (script !== undefined && INSTALL_SCRIPT.test(script)) {
      job.log('the fake runner installs no dependencies; skipped\n');
      code = 0;
    } else if (step.uses !== undefined) {
      const outputFile = join(temp, `output-${index}`);
      const summaryFile = join(temp, `summary-${index}`);
      await writeFile(outputFile, '');
      await writeFile(summaryFile, '');
      const inputs: Record<string, string> = {};
      for (const [name, value] of Object.entries({ ...job.actionDefaults, ...(step.with ?? {}) })) {
        inputs[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = evaluateText(value, job.context);
      }
      for (const [name, value] of Object.entries(job.actionInputs))
        inputs[`INPUT_${name.toUpperCase()}`] = value;
      code = await spawnStep(process.execPath, [job.actionBundle], {
        cwd: workspace,
        env: {
          ...baseEnv,
          ...stepEnv,
          ...inputs,
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
        },
        signal: job.signal,
        log: job.log,
      });
      result.outputs = { ...result.outputs, ...parseOutputFile(await readFile(outputFile, 'utf8')) };
      result.summary += await readFile(summaryFile, 'utf8');
    } else {
      const directory = step['working-directory'];
      code = await spawnStep('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script ?? ''], {
        cwd: directory === undefined ? workspace : resolve(workspace, evaluateText(directory, job.context)),
        env: { ...baseEnv, ...stepEnv },
        signal: job.signal,
        log: job.log,
      });
    }
    const conclusion: RunConclusion = job.signal.aborted ? 'cancelled' : code === 0 ? 'success' : 'failure';
    job.onStep(index, 'completed', conclusion);
    job.log(`##[endgroup] exit ${code} ${new Date().toISOString()}\n`);
    if (conclusion !== 'success') return { ...result, conclusion };
  }
  return result;
}
