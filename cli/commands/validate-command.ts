import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CONFIG_PATH, loadConfigFile } from '../../core/config/load-config.ts';
import type { CliIo } from '../cli-io.ts';
import { parseOptions, ValidateOptionsSchema } from '../cli-options.ts';

/**
 * `claude-cluster validate`: checks the repository configuration (`--config <file>`, else
 * `.github/claude-cluster.yml` of `--repo`) and prints the effective settings. Invalid files exit 2 with one line per
 * problem, each with its line and key.
 */
export async function validateCommand(rawOptions: unknown, io: CliIo): Promise<number> {
  const options = parseOptions(ValidateOptionsSchema, rawOptions);
  const path = options.config ?? join(resolve(options.repo), CONFIG_PATH);
  const config = await loadConfigFile(path, options.config ?? CONFIG_PATH);
  io.stdout.write(`${options.config ?? CONFIG_PATH} is valid. Effective settings:\n\n${stringify(config)}`);
  return 0;
}
