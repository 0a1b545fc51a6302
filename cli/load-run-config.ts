import { join } from 'node:path';
import { type Config, ConfigSchema } from '../core/config/config-schema.ts';
import { CONFIG_PATH, loadConfigFile } from '../core/config/load-config.ts';

/** Command-line flags that override configuration keys. */
export interface ConfigOverrides {
  parallel?: number;
  onConflict?: Config['on_conflict'];
  verify?: string;
  taskTimeoutSeconds?: number;
}

/**
 * The configuration of a local run: `--config <file>`, else the repository's `.github/claude-cluster.yml` (defaults
 * when it has none), with command-line flags applied over it.
 */
export async function loadRunConfig(
  repoDir: string,
  configPath?: string,
  overrides: ConfigOverrides = {},
): Promise<Config> {
  const path = configPath ?? join(repoDir, CONFIG_PATH);
  const config = await loadConfigFile(path, configPath ?? CONFIG_PATH);
  return ConfigSchema.parse({
    ...config,
    ...(overrides.parallel !== undefined && { max_parallel: overrides.parallel }),
    ...(overrides.onConflict !== undefined && { on_conflict: overrides.onConflict }),
    ...(overrides.verify !== undefined && { verify: overrides.verify }),
    ...(overrides.taskTimeoutSeconds !== undefined && {
      task_timeout_minutes: overrides.taskTimeoutSeconds / 60,
    }),
  });
}
