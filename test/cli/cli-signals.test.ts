import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempRepo, stubAgentCommand, type TempRepo } from '../helpers/temp-repo.ts';

let repo: TempRepo;
beforeEach(() => {
  repo = createTempRepo();
});
afterEach(() => repo.remove());

const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin.ts');

describe('claude-cluster run', () => {
  describe('on Ctrl-C', () => {
    it('stops the agents, removes every worktree, still prints the report and exits 1', async () => {
      const issue = join(repo.dir, '..', `${repo.dir.split('/').at(-1)}-sigint.md`);
      writeFileSync(
        issue,
        '# Long work\n\n```cluster\ntasks:\n  - { id: long, title: Long, prompt: "@write wip.txt = wip\\n@child-sleep 60" }\n```\n',
      );
      const child = spawn(
        process.execPath,
        [BIN, 'run', '--issue', issue, '--repo', repo.dir, '--agent', stubAgentCommand(), '--run-id', 'sig'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/task long running/.test(stderr) && !child.killed) setTimeout(() => child.kill('SIGINT'), 1500);
      });
      const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toContain('stopping the agents and cleaning up');
      expect(exitCode).toBe(1);
      expect(stdout).toContain('0 of 1 task integrated; 1 failed');
      expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
      expect(repo.git('show', 'cluster/sig/tasks/long:wip.txt')).toBe('wip');
    });
  });
});
