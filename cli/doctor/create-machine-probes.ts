import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  CLAUDE_NOT_LOGGED_IN_MESSAGE,
  hasClaudeCredentials,
} from '../../core/agent/check-claude-credentials.ts';
import { checkCommandExecutable } from '../../core/agent/check-command-executable.ts';
import { findBundledExecutable } from '../../core/agent/claude-agent.ts';
import { readClaudeAuthStatus } from '../../core/agent/read-claude-auth-status.ts';
import { CONFIG_PATH, loadConfigFile } from '../../core/config/load-config.ts';
import { EnvironmentError } from '../../core/errors/errors.ts';
import { runGit } from '../../core/git/run-git.ts';
import type { DoctorProbes, RepositoryFacts } from './doctor-checks.ts';

/** Where the App dispatches its jobs, as the templates and the configuration's default name it. */
export const WORKFLOW_PATH = '.github/workflows/claude-cluster.yml';

/** What the doctor looks at. */
export interface MachineProbeOptions {
  repo: string;
  base?: string;
  agent?: string;
  config?: string;
  env: NodeJS.ProcessEnv;
}

/** The doctor's probes of this machine and repository. */
export function createMachineProbes(options: MachineProbeOptions): DoctorProbes {
  const repoDir = resolve(options.repo);
  const { agent, env } = options;
  return {
    node: { version: process.versions.node, executable: process.execPath },
    gitVersion: async () => {
      const result = await runGit(['--version'], { cwd: process.cwd() }).catch(() => undefined);
      return result?.stdout;
    },
    agentName: agent === undefined ? 'Claude Code' : 'agent command',
    checkAgent: async () => {
      if (agent !== undefined) {
        await checkCommandExecutable(agent, env);
        return `\`${agent}\` can be run`;
      }
      return checkClaudeCode(env);
    },
    inspectRepository: () => inspectRepository(repoDir, options.base),
    configName: options.config ?? CONFIG_PATH,
    loadConfig: async () => {
      await loadConfigFile(options.config ?? join(repoDir, CONFIG_PATH), options.config ?? CONFIG_PATH);
    },
    workflowName: WORKFLOW_PATH,
    readWorkflow: () => readFile(join(repoDir, WORKFLOW_PATH), 'utf8').catch(() => undefined),
  };
}

/** The Claude Code a run would start is installed, and it can authenticate. */
async function checkClaudeCode(env: NodeJS.ProcessEnv): Promise<string> {
  const executable = findBundledExecutable();
  try {
    await access(executable, constants.X_OK);
  } catch {
    throw new EnvironmentError(
      `the Claude Code executable ${executable} is missing or not executable; reinstall claude-cluster`,
    );
  }
  if (hasClaudeCredentials(env)) return 'installed; credentials from the environment';
  const status = await readClaudeAuthStatus(executable, env);
  if (!status.loggedIn) throw new EnvironmentError(CLAUDE_NOT_LOGGED_IN_MESSAGE);
  return `installed; logged in (${status.authMethod})`;
}

async function inspectRepository(repoDir: string, base: string | undefined): Promise<RepositoryFacts> {
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: repoDir, okExitCodes: [128] }).catch(
    () => undefined,
  );
  if (top === undefined || top.exitCode !== 0) return { kind: 'not-a-repository' };
  const root = top.stdout.trim();
  const current = await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], {
    cwd: root,
    okExitCodes: [1],
  });
  const baseName = base ?? (current.exitCode === 0 ? current.stdout.trim() : undefined);
  const baseCommit =
    baseName === undefined
      ? undefined
      : await runGit(['rev-parse', '--verify', '--quiet', `${baseName}^{commit}`], {
          cwd: root,
          okExitCodes: [1],
        });
  const status = await runGit(['status', '--porcelain', '--untracked-files=no'], { cwd: root });
  // Porcelain lines are `XY path`: two status letters and a space before the path.
  const changedFiles = status.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
  return { kind: 'repository', root, base: baseName, baseExists: baseCommit?.exitCode === 0, changedFiles };
}
