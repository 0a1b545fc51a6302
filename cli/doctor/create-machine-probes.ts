import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkCommandExecutable } from '../../core/agent/check-command-executable.ts';
import { checkClaudeCodeReady } from '../../core/agent/claude-agent.ts';
import { ConfigSchema } from '../../core/config/config-schema.ts';
import { CONFIG_PATH, loadConfigFile } from '../../core/config/load-config.ts';
import { runGit } from '../../core/git/run-git.ts';
import type { DoctorProbes, RepositoryFacts } from './doctor-checks.ts';

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
  const config = loadConfigFile(options.config ?? join(repoDir, CONFIG_PATH), options.config ?? CONFIG_PATH);
  // Read once for two checks; its failure is reported by the configuration check.
  config.catch(() => {});
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
      return `installed; ${await checkClaudeCodeReady(env, 'claude-code')}`;
    },
    inspectRepository: () => inspectRepository(repoDir, options.base),
    configName: options.config ?? CONFIG_PATH,
    loadConfig: async () => {
      await config;
    },
    readWorkflow: async () => {
      // An invalid configuration is the configuration check's miss; the workflow is then looked for by its default name.
      const name = await config.then(
        (loaded) => loaded.workflow,
        () => ConfigSchema.parse({}).workflow,
      );
      const path = `.github/workflows/${name}`;
      return { path, text: await readFile(join(repoDir, path), 'utf8').catch(() => undefined) };
    },
  };
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
