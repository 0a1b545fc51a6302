import { join } from 'node:path';
import { type Config, ConfigSchema } from '../core/config/config-schema.ts';
import { CONFIG_PATH, loadConfigFile } from '../core/config/load-config.ts';
import type { ActionInputs } from './action-inputs.ts';

/**
 * The repository's `.github/claude-cluster.yml` (from the checkout; defaults when absent) with the action inputs
 * that overlap config keys applied over it.
 */
export async function loadActionConfig(workspace: string, inputs: ActionInputs): Promise<Config> {
  const config = await loadConfigFile(join(workspace, CONFIG_PATH), CONFIG_PATH);
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
