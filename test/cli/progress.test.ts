import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../cli/progress/create-progress.ts';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 80 });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('createProgress', () => {
  describe('on a terminal', () => {
    it('redraws one line per task with its state in place', () => {
      const { stream, text } = capture(true);
      const progress = createProgress(['api', 'db'], stream);
      progress.onEvent({ type: 'task-state', taskId: 'db', state: 'running' });
      progress.onEvent({ type: 'task-state', taskId: 'db', state: 'integrated' });
      progress.close();
      const output = text();
      // Moves the cursor up over the previous frame before drawing the next.
      expect(output).toContain('\x1b[2A\x1b[0J');
      const lastFrame = output.split('\x1b[0J').at(-1)!;
      expect(lastFrame).toMatch(/· api\s+pending/);
      expect(lastFrame).toMatch(/✔ db\s+integrated/);
    });
  });

  describe('elsewhere', () => {
    it('prints one parseable line per change', () => {
      const { stream, text } = capture(false);
      const progress = createProgress(['api'], stream);
      progress.onEvent({ type: 'task-state', taskId: 'api', state: 'failed', detail: 'agent exited 1' });
      progress.onEvent({ type: 'verify', state: 'passed', detail: 'npm test' });
      progress.close();
      const lines = text().trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z task api failed agent exited 1$/);
      expect(lines[1]).toMatch(/ verify passed npm test$/);
    });
  });
});
