import { pathToFileURL } from 'node:url';
import type { ClaudeAgentSdk } from '../core/agent/claude-agent.ts';
import { EnvironmentError } from '../core/errors/errors.ts';
import { AGENT_SDK_PACKAGE } from './install-claude-code.ts';

/**
 * Imports the agent SDK from the entry file the installer verified (never from the bundle: the SDK's licence
 * forbids redistributing it). Throws an `EnvironmentError` naming the file and the fix when it does not load or
 * offers no `query`.
 */
export async function importAgentSdk(entry: string): Promise<ClaudeAgentSdk> {
  const fix = `remove the folder holding ${entry} (or the runner's cached Claude Code install) so the action installs it again`;
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new EnvironmentError(
      `could not load ${AGENT_SDK_PACKAGE} from ${entry}: ${error instanceof Error ? error.message : String(error)}; ${fix}`,
    );
  }
  if (!isAgentSdk(loaded)) {
    throw new EnvironmentError(`${entry} does not export \`query\` as ${AGENT_SDK_PACKAGE} does; ${fix}`);
  }
  return loaded;
}

function isAgentSdk(value: unknown): value is ClaudeAgentSdk {
  return typeof value === 'object' && value !== null && 'query' in value && typeof value.query === 'function';
}
