import { join } from 'node:path';
import { type Config, ConfigSchema } from '../core/config/config-schema.ts';
import { CONFIG_PATH, loadConfigFile, parseConfig } from '../core/config/load-config.ts';
import { runGit } from '../core/git/run-git.ts';
import type { ActionInputs } from './action-inputs.ts';

/**
 * The repository's `.github/claude-cluster.yml` with the action inputs that overlap config keys applied over it.
 * Read from the trusted ref (the default branch as fetched by the checkout) when there is one: on a run for a pull
 * request the checkout may be the PR's head, whose author must not choose the verify command, the tools or the
 * budget. Falls back to the checkout's file; defaults when there is none.
 */
export async function loadActionConfig(
  workspace: string,
  inputs: ActionInputs,
  trustedRef?: string,
): Promise<Config> {
  const trusted =
    trustedRef === undefined ? undefined : await readFileAtRef(workspace, trustedRef, CONFIG_PATH);
  const config =
    trusted === undefined
      ? await loadConfigFile(join(workspace, CONFIG_PATH), CONFIG_PATH)
      : parseConfig(trusted, `${CONFIG_PATH} (${trustedRef?.replace(/^refs\/remotes\//, '')})`);
  return applyActionInputs(config, inputs);
}

/**
 * The action inputs that overlap configuration keys (model, max-turns, budget-usd, allowed-tools, on-conflict,
 * verify), applied over a configuration: they are the workflow file's choices, made on the default branch.
 */
export function applyActionInputs(config: Config, inputs: ActionInputs): Config {
  return ConfigSchema.parse({
    ...config,
    ...(inputs.model !== undefined && { model: inputs.model }),
    ...(inputs['max-turns'] !== undefined && { max_turns: inputs['max-turns'] }),
    ...(inputs['budget-usd'] !== undefined && {
      budget: { ...config.budget, per_task_usd: inputs['budget-usd'] },
    }),
    ...(inputs['allowed-tools'] !== undefined && { allowed_tools: inputs['allowed-tools'] }),
    ...(inputs['on-conflict'] !== undefined && { on_conflict: inputs['on-conflict'] }),
    ...(inputs.verify !== undefined && { verify: inputs.verify }),
  });
}

/** A file's text at a ref of the checkout: '' when the ref has no such file, undefined when the ref is not there. */
async function readFileAtRef(workspace: string, ref: string, path: string): Promise<string | undefined> {
  const exists = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: workspace,
    okExitCodes: [1],
  });
  if (exists.exitCode !== 0) return undefined;
  const file = await runGit(['show', `${ref}:${path}`], { cwd: workspace, okExitCodes: [128] });
  return file.exitCode === 0 ? file.stdout : '';
}
