import { describe, expect, it } from 'vitest';
import type { Plan } from '../../core/plan/plan-schema.ts';
import { type MatrixEntry, matrixJson, readyMatrix } from '../../core/plan/ready-matrix.ts';
import { thrownInputError } from '../helpers/thrown-input-error.ts';

function task(id: string, depends_on: string[] = [], estimate?: number) {
  return {
    id,
    title: `Task ${id}`,
    prompt: `Do ${id}.`,
    depends_on,
    files: [`src/${id}/**`],
    ...(estimate === undefined ? {} : { estimate }),
  };
}

// docs (alone) · db → api → ui · lint (alone, long)
const plan: Plan = {
  tasks: [task('docs'), task('db'), task('api', ['db']), task('ui', ['api']), task('lint', [], 2.5)],
};

function entries(count: number, promptChars: number): MatrixEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `t-${index}`,
    title: `T ${index}`,
    prompt: 'x'.repeat(promptChars),
    depends_on: [],
    files: [],
  }));
}

describe('readyMatrix', () => {
  describe('at the start of a run', () => {
    it('lists the tasks without dependencies, longest remaining path first, ties in plan order', () => {
      expect(readyMatrix(plan).map((entry) => entry.id)).toEqual(['db', 'lint', 'docs']);
    });

    it('gives each entry as a JSON-able task with id, title, prompt, depends_on and files only', () => {
      expect(readyMatrix(plan)[0]).toEqual({
        id: 'db',
        title: 'Task db',
        prompt: 'Do db.',
        depends_on: [],
        files: ['src/db/**'],
      });
      expect(Object.keys(readyMatrix(plan)[1]!)).not.toContain('estimate');
    });
  });

  describe('when some tasks are done', () => {
    it('adds the tasks whose dependencies are all done and leaves the done ones out', () => {
      expect(readyMatrix(plan, { done: new Set(['db', 'docs']) }).map((entry) => entry.id)).toEqual([
        'lint',
        'api',
      ]);
    });

    it('leaves out tasks already started', () => {
      const ready = readyMatrix(plan, { done: new Set(['db']), started: new Set(['lint']) });
      expect(ready.map((entry) => entry.id)).toEqual(['api', 'docs']);
    });

    it('is empty when every task is done', () => {
      expect(readyMatrix(plan, { done: new Set(plan.tasks.map((t) => t.id)) })).toEqual([]);
    });
  });
});

describe('matrixJson', () => {
  describe('with entries within the limits', () => {
    it('gives JSON that fromJSON reads back as the same entries', () => {
      const ready = readyMatrix(plan);
      expect(JSON.parse(matrixJson(ready))).toEqual(ready);
    });
  });

  describe('with more than 256 entries', () => {
    it('refuses, naming the matrix limit and the fix', () => {
      const error = thrownInputError(() => matrixJson(entries(257, 1)));
      expect(error.message).toContain(
        '257 tasks are ready at once, but one GitHub matrix runs at most 256 jobs',
      );
      expect(error.problems[0]).toContain('lower `max_tasks`');
    });
  });

  describe('with more JSON than a workflow_dispatch input holds', () => {
    it('refuses, naming the size, the limit, the longest prompts and the fix', () => {
      const big = entries(3, 30_000);
      const error = thrownInputError(() => matrixJson(big));
      expect(error.message).toMatch(/the ready tasks take 9\d{4} characters as JSON, more than the 65535/);
      expect(error.problems).toEqual([
        'use fewer or shorter task prompts; the longest are `t-0` (30000 characters), `t-1` (30000 characters), `t-2` (30000 characters)',
        'or split the issue into smaller ones',
      ]);
    });

    it('accepts exactly the limit and honours a smaller one left by other inputs', () => {
      const one = entries(1, 0);
      const overhead = JSON.stringify(one).length;
      const exact = entries(1, 65_535 - overhead);
      expect(matrixJson(exact)).toHaveLength(65_535);
      expect(() => matrixJson(one, { maxChars: overhead - 1 })).toThrow(/more than the/);
    });
  });
});
