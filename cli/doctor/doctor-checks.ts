import { parse } from 'yaml';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';
import { MIN_GIT } from '../../core/run/preflight-run.ts';
import { nodeVersionProblem } from '../check-node-version.ts';

/** The outcome of one check: `skip` when it does not apply (it neither passes nor fails the doctor). */
export interface DoctorCheckResult {
  /** What was checked, e.g. `git`. */
  name: string;
  status: 'pass' | 'fail' | 'skip';
  /** What was found; on a failure, also how to fix it. */
  detail: string;
}

/** What the repository looks like to git. */
export type RepositoryFacts =
  | { kind: 'not-a-repository' }
  | {
      kind: 'repository';
      /** Top-level directory. */
      root: string;
      /** `--base`, else the current branch; undefined on a detached HEAD. */
      base: string | undefined;
      baseExists: boolean;
      /** Tracked files with uncommitted changes. */
      changedFiles: string[];
    };

/**
 * Everything the checks learn from the machine. The command passes the real ones (`createMachineProbes`); tests pass
 * their own, so no check depends on the machine running it.
 */
export interface DoctorProbes {
  node: { version: string; executable: string };
  /** The output of `git --version`; undefined when git cannot be run. */
  gitVersion(): Promise<string | undefined>;
  /** Which agent runs the tasks, e.g. `Claude Code` or the `--agent` command. */
  agentName: string;
  /** Resolves to what was found when the agent can run; throws an `EnvironmentError` naming the fix otherwise. */
  checkAgent(): Promise<string>;
  inspectRepository(): Promise<RepositoryFacts>;
  /** Where the configuration is read from, as shown to the user. */
  configName: string;
  /** Resolves when the configuration is valid; throws an `InputError` or `EnvironmentError` naming the fix. */
  loadConfig(): Promise<void>;
  /** The workflow the App dispatches (the configuration's `workflow`): its path, and its text unless it is missing. */
  readWorkflow(): Promise<{ path: string; text: string | undefined }>;
}

/** Runs every check in order and returns their results. */
export async function runDoctorChecks(probes: DoctorProbes): Promise<DoctorCheckResult[]> {
  return [
    checkNode(probes.node),
    checkGit(await probes.gitVersion()),
    await checkAgent(probes),
    checkRepository(await probes.inspectRepository()),
    await checkConfig(probes),
    await probes.readWorkflow().then(({ path, text }) => checkWorkflow(path, text)),
  ];
}

/** The Node running claude-cluster is a supported one. */
export function checkNode(node: { version: string; executable: string }): DoctorCheckResult {
  const problem = nodeVersionProblem(node.version, node.executable);
  if (problem === undefined) return { name: 'Node', status: 'pass', detail: `Node ${node.version}` };
  return { name: 'Node', status: 'fail', detail: problem.replace(/^claude-cluster: /, '') };
}

/** git is installed and new enough for `merge-tree --write-tree`. */
export function checkGit(versionOutput: string | undefined): DoctorCheckResult {
  const needed = `git ${MIN_GIT.join('.')} or newer`;
  const match = versionOutput === undefined ? null : /(\d+)\.(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) {
    return { name: 'git', status: 'fail', detail: `git was not found on PATH; install ${needed}` };
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const version = match[0];
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    return {
      name: 'git',
      status: 'fail',
      detail: `git ${version} is too old: claude-cluster needs ${needed} (for merge-tree --write-tree); upgrade git`,
    };
  }
  return { name: 'git', status: 'pass', detail: `git ${version}` };
}

/** The agent can run: Claude Code installed and logged in, or the `--agent` command found. */
export async function checkAgent(
  probes: Pick<DoctorProbes, 'agentName' | 'checkAgent'>,
): Promise<DoctorCheckResult> {
  try {
    return { name: probes.agentName, status: 'pass', detail: await probes.checkAgent() };
  } catch (error) {
    return { name: probes.agentName, status: 'fail', detail: expectedMessage(error) };
  }
}

/** The repository exists, its working tree is clean and its base branch exists. */
export function checkRepository(facts: RepositoryFacts): DoctorCheckResult {
  const name = 'repository';
  if (facts.kind === 'not-a-repository') {
    return {
      name,
      status: 'fail',
      detail: 'not a git repository; pass --repo <dir> with the repository to work on',
    };
  }
  if (facts.base === undefined) {
    return {
      name,
      status: 'fail',
      detail: `${facts.root} has no current branch (detached HEAD); check out the base branch or pass --base <branch>`,
    };
  }
  if (!facts.baseExists) {
    return {
      name,
      status: 'fail',
      detail: `base branch \`${facts.base}\` does not exist in ${facts.root}; pass --base with an existing branch`,
    };
  }
  if (facts.changedFiles.length > 0) {
    return {
      name,
      status: 'fail',
      detail: `${facts.root} has uncommitted changes (${facts.changedFiles.slice(0, 5).join(', ')}); commit or stash them first, so a run works from a known base`,
    };
  }
  return { name, status: 'pass', detail: `${facts.root}, clean, base branch \`${facts.base}\`` };
}

/** The configuration file is valid (a missing file means the defaults). */
export async function checkConfig(
  probes: Pick<DoctorProbes, 'configName' | 'loadConfig'>,
): Promise<DoctorCheckResult> {
  try {
    await probes.loadConfig();
    return { name: 'configuration', status: 'pass', detail: `${probes.configName} is valid` };
  } catch (error) {
    return { name: 'configuration', status: 'fail', detail: expectedMessage(error) };
  }
}

/** Action references left as the template's placeholder owner, or written as a `<placeholder>`. */
const PLACEHOLDER_USES = /^claude-cluster\/claude-cluster[@/]|[<>]|OWNER/;

/**
 * For GitHub use: the workflow exists and names the action that runs the tasks, with the template's placeholder
 * replaced. Without a workflow the check is skipped, since a local run does not need one.
 */
export function checkWorkflow(workflowName: string, text: string | undefined): DoctorCheckResult {
  const name = 'GitHub workflow';
  const copyFix =
    'copy workflows-templates/claude-cluster.yml of the claude-cluster repository (docs/install.md)';
  if (text === undefined) {
    return { name, status: 'skip', detail: `no ${workflowName}: needed only to run on GitHub (${copyFix})` };
  }
  let uses: string[];
  try {
    uses = actionReferences(parse(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      name,
      status: 'fail',
      detail: `${workflowName} is not valid YAML (${reason}); fix it or ${copyFix} again`,
    };
  }
  const placeholders = uses.filter((value) => PLACEHOLDER_USES.test(value));
  if (placeholders.length > 0) {
    return {
      name,
      status: 'fail',
      detail:
        `${workflowName} still uses the placeholder \`${placeholders[0]}\`; replace it with the repository that ` +
        'publishes the action and a tag or commit SHA (e.g. `your-org/claude-cluster@<sha>`)',
    };
  }
  const actions = uses.filter((value) => !value.startsWith('actions/'));
  if (actions.length === 0) {
    return {
      name,
      status: 'fail',
      detail: `${workflowName} does not use the claude-cluster action; ${copyFix}`,
    };
  }
  return { name, status: 'pass', detail: `${workflowName} uses ${[...new Set(actions)].join(', ')}` };
}

/** Every `uses:` of the workflow's jobs and steps. */
function actionReferences(workflow: unknown): string[] {
  const jobs = isRecord(workflow) && isRecord(workflow.jobs) ? Object.values(workflow.jobs) : [];
  const found: string[] = [];
  for (const job of jobs.filter(isRecord)) {
    if (typeof job.uses === 'string') found.push(job.uses);
    const steps = Array.isArray(job.steps) ? job.steps.filter(isRecord) : [];
    for (const step of steps) if (typeof step.uses === 'string') found.push(step.uses);
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message of an error a check expects (it names the fix); anything else is a bug and is thrown on. */
function expectedMessage(error: unknown): string {
  if (error instanceof EnvironmentError || error instanceof InputError) return error.message;
  throw error;
}
