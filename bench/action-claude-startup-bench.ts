import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PINNED_CLAUDE_CODE_VERSION } from '../action/action-inputs.ts';
import { provideClaudeInstall } from '../test/action/provide-claude-install.ts';
import { dispatchEvent, runBundledAction } from '../test/action/run-bundled-action.ts';
import { createTempRemote } from '../test/helpers/temp-remote.ts';
import type { ActionStartupBenchResult } from './action-startup-bench.ts';
import { launchMarkCommand, measureLaunches } from './read-launch-mark.ts';

/**
 * Runs the committed bundle (or `bundle`) in task mode `runs` times with the default agent and a runner tool cache
 * that already holds the pinned Claude Code CLI and agent SDK (linked from node_modules). The install's `claude`
 * answers `--version` with the real CLI and records the moment the SDK launches it for the task, then exits. Includes
 * Node's start, the bundle's load, the install check (`claude --version`), loading the agent SDK from the install
 * folder and the engine's git preparation.
 */
export async function runActionClaudeStartupBench(
  options: { runs?: number; bundle?: string } = {},
): Promise<ActionStartupBenchResult> {
  const { runs = 7 } = options;
  const remote = createTempRemote();
  const toolCache = mkdtempSync(join(tmpdir(), 'cluster-bench-claude-'));
  const mark = join(toolCache, 'launched');
  try {
    const installDir = provideClaudeInstall(toolCache);
    // Bundles from before the SDK moved out of dist/ look for the CLI in <toolDir>/<version>: compare with them too.
    const legacyDir = join(toolCache, 'claude-code', PINNED_CLAUDE_CODE_VERSION);
    mkdirSync(join(legacyDir, 'node_modules'), { recursive: true });
    symlinkSync(
      join(installDir, 'node_modules', '@anthropic-ai'),
      join(legacyDir, 'node_modules', '@anthropic-ai'),
    );
    const realCli = join(installDir, 'node_modules', '@anthropic-ai', 'claude-code', 'bin', 'claude.exe');
    for (const dir of [installDir, legacyDir]) {
      const bin = join(dir, 'node_modules', '.bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(
        join(bin, 'claude'),
        `#!/bin/sh\nif [ "$1" = "--version" ]; then exec '${realCli}' --version; fi\n${launchMarkCommand(mark)}\nexit 1\n`,
      );
      chmodSync(join(bin, 'claude'), 0o755);
    }
    return await measureLaunches(
      runs,
      () => mark,
      (run) => {
        rmSync(mark, { force: true });
        return runBundledAction({
          bundle: options.bundle,
          workspace: remote.clone(),
          event: dispatchEvent(),
          toolCache,
          inputs: {
            mode: 'task',
            task: JSON.stringify({ id: `t${run}`, title: 'bench', prompt: 'record the start' }),
            'run-id': 'bench',
            'anthropic-api-key': 'sk-ant-bench',
          },
        });
      },
    );
  } finally {
    remote.remove();
    rmSync(toolCache, { recursive: true, force: true });
  }
}
