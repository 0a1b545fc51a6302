import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PINNED_CLAUDE_CODE_VERSION } from '../../action/action-inputs.ts';
import {
  AGENT_SDK_PACKAGE,
  CLAUDE_CODE_PACKAGE,
  claudeCodeInstallDir,
} from '../../action/install-claude-code.ts';

const NODE_MODULES = join(import.meta.dirname, '..', '..', 'node_modules');

/**
 * Fills a runner's tool cache with the pinned Claude Code CLI and agent SDK, as the action's
 * `npm install --prefix <dir> @anthropic-ai/claude-code@X @anthropic-ai/claude-agent-sdk@Y` leaves them, by linking
 * the packages of this project's node_modules (CI installs both from the npm registry): no network in tests.
 * Returns the install folder.
 */
export function provideClaudeInstall(toolCache: string): string {
  const installDir = claudeCodeInstallDir(join(toolCache, 'claude-code'), PINNED_CLAUDE_CODE_VERSION);
  const scope = join(installDir, 'node_modules', '@anthropic-ai');
  mkdirSync(scope, { recursive: true });
  for (const name of [CLAUDE_CODE_PACKAGE, AGENT_SDK_PACKAGE]) {
    symlinkSync(join(NODE_MODULES, name), join(installDir, 'node_modules', name));
  }
  return installDir;
}
