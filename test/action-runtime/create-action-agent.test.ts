import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionInputsSchema, PINNED_CLAUDE_CODE_VERSION } from '../../action/action-inputs.ts';
import { createActionAgent } from '../../action/create-action-agent.ts';
import { claudeCodeInstallDir } from '../../action/install-claude-code.ts';
import { defaultConfig } from '../../core/config/config-schema.ts';

let toolDir: string;
let installDir: string;
let calls: string;
beforeEach(() => {
  toolDir = mkdtempSync(join(tmpdir(), 'create-action-agent-'));
  installDir = claudeCodeInstallDir(join(toolDir, 'claude-code'), PINNED_CLAUDE_CODE_VERSION);
  calls = join(toolDir, 'sdk-calls.json');
  // An install as npm leaves it: a `claude` that prints the pinned version, and an agent SDK whose `query` records
  // its options and ends with a result, the way the real SDK streams one.
  const bin = join(installDir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'claude'), `#!/bin/sh\necho "${PINNED_CLAUDE_CODE_VERSION} (Claude Code)"\n`);
  chmodSync(join(bin, 'claude'), 0o755);
  const sdk = join(installDir, 'node_modules', '@anthropic-ai', 'claude-agent-sdk');
  mkdirSync(sdk, { recursive: true });
  writeFileSync(
    join(sdk, 'package.json'),
    JSON.stringify({ version: '0.3.330', type: 'module', exports: { '.': { default: './sdk.mjs' } } }),
  );
  writeFileSync(
    join(sdk, 'sdk.mjs'),
    `import { writeFileSync } from 'node:fs';
export async function* query({ options }) {
  writeFileSync(${JSON.stringify(calls)}, JSON.stringify({ executable: options.pathToClaudeCodeExecutable }));
  yield { type: 'result', subtype: 'success', is_error: false, result: 'done', num_turns: 1, total_cost_usd: 0.01,
    duration_ms: 1, duration_api_ms: 1, session_id: 's', usage: {}, modelUsage: {}, permission_denials: [], uuid: 'u' };
}
`,
  );
});
afterEach(() => {
  rmSync(toolDir, { recursive: true, force: true });
});

describe('createActionAgent', () => {
  describe('without an `agent` input', () => {
    it('drives the installed CLI through the agent SDK installed beside it, not one bundled with the action', async () => {
      const agent = await createActionAgent({
        inputs: ActionInputsSchema.parse({ mode: 'task', 'anthropic-api-key': 'sk-ant-test' }),
        config: defaultConfig(),
        env: { PATH: process.env.PATH },
        toolDir,
        warn: (message) => {
          throw new Error(`unexpected warning: ${message}`);
        },
      });

      const result = await agent.run({ mode: 'task', cwd: toolDir, prompt: 'x', runId: 'r', taskId: 't' });

      expect(JSON.parse(readFileSync(calls, 'utf8'))).toEqual({
        executable: join(installDir, 'node_modules', '.bin', 'claude'),
      });
      expect(result.ok).toBe(true);
    });
  });
});
