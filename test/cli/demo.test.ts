import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DEMO = join(import.meta.dirname, '..', '..', 'cli', 'demo.ts');
const NO_CREDENTIALS = [
  'ANTHROPIC_API_KEY',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
];

describe('npm run demo', () => {
  describe('without Claude credentials', () => {
    it('runs the demo issue through the whole pipeline with the stub agent and prints the PR body', () => {
      const env = { ...process.env };
      for (const name of NO_CREDENTIALS) delete env[name];
      const result = spawnSync(process.execPath, [DEMO], { env, encoding: 'utf8', timeout: 60_000 });
      const repo = /scratch repository (\S+)/.exec(result.stderr)?.[1];
      if (repo) rmSync(repo, { recursive: true, force: true });
      expect(result.stderr).toContain('the deterministic stub agent');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(
        '4 of 4 tasks integrated (1 after resolving a conflict). Verify passed.',
      );
      expect(result.stdout).toContain('## Conflict notes');
      expect(result.stdout).toContain('## Overlap warnings');
      expect(result.stdout).toContain('```mermaid');
    });
  });
});
