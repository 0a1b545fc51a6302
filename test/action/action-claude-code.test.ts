import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeMessagesApi, startFakeMessagesApi } from '../fake-anthropic/fake-messages-api.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';
import { provideClaudeInstall } from './provide-claude-install.ts';
import { runBundledAction } from './run-bundled-action.ts';

let remote: TempRemote;
let toolCache: string;
let home: string;
let api: FakeMessagesApi | undefined;
beforeEach(() => {
  remote = createTempRemote({ 'README.md': '# widgets\n' });
  home = mkdtempSync(join(tmpdir(), 'cluster-claude-home-'));
  // The runner's tool cache already holds the pinned CLI and agent SDK (CI installs both from the npm registry as
  // dependencies), so the action reuses them instead of downloading: no network in tests.
  toolCache = mkdtempSync(join(tmpdir(), 'cluster-tool-cache-'));
  provideClaudeInstall(toolCache);
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  remote.remove();
  rmSync(toolCache, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('the bundled action with the real Claude Code CLI', () => {
  describe('against a scripted Messages API on loopback', () => {
    it('runs the task end to end and reports the cost and turns from the CLI’s result', async () => {
      const workspace = remote.clone();
      api = await startFakeMessagesApi({
        turns: [
          {
            blocks: [
              { type: 'text', text: 'Writing the greeting.' },
              {
                type: 'tool_use',
                name: 'Write',
                input: { file_path: join(workspace, 'hello.txt'), content: 'hello from claude\n' },
              },
            ],
          },
          { blocks: [{ type: 'text', text: 'Added hello.txt with a greeting.' }] },
        ],
      });
      const run = await runBundledAction({
        workspace,
        toolCache,
        inputs: {
          mode: 'task',
          task: JSON.stringify({
            id: 'hello',
            title: 'Say hello',
            prompt: 'Create hello.txt with a greeting.',
          }),
          'run-id': '7',
          'anthropic-api-key': 'sk-ant-fake-key-for-tests',
          model: 'claude-sonnet-4-5',
        },
        env: {
          HOME: home,
          CLAUDE_CONFIG_DIR: join(home, '.claude'),
          ANTHROPIC_BASE_URL: api.baseUrl,
          CLAUDE_CODE_MAX_RETRIES: '0',
        },
      });
      expect(run.error).toBeUndefined();
      expect(run.outputs.status).toBe('integrated');
      expect(remote.git('show', 'cluster/7/integration:hello.txt')).toBe('hello from claude');
      expect(Number(run.outputs.turns)).toBeGreaterThanOrEqual(2);
      expect(Number(run.outputs['cost-usd'])).toBeGreaterThan(0);
      expect(remote.git('log', '-1', '--format=%B', 'cluster/7/tasks/hello')).toContain(
        'Added hello.txt with a greeting.',
      );
      // The agent never saw the API key as anything but its own credential, and never a GitHub token.
      const prompts = api.requests.map((request) => JSON.stringify(request.body)).join('\n');
      expect(prompts).not.toContain('sk-ant-fake-key-for-tests');
    });
  });
});
