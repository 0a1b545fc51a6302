import { describe, expect, it } from 'vitest';
import { createdBounds } from './actions-routes.ts';
import { evaluateCondition, evaluateText, evaluateValue } from './evaluate-expression.ts';

/** `${{ inner }}`: an expression as workflow files write it. */
const e = (inner: string) => `\${{ ${inner} }}`;

const context = {
  inputs: { 'run-id': '42', mode: 'task', tasks: '[{"id":"api"},{"id":"db"}]', 'max-parallel': 4 },
  matrix: { task: { id: 'api', title: 'API' } },
  github: { token: 'ghs_x' },
  secrets: {},
};

describe('evaluateExpression (the fake runner’s subset of GitHub expressions)', () => {
  describe('with the expressions of the claude-cluster workflow', () => {
    it('substitutes the run-name and job name', () => {
      expect(evaluateText(`claude-cluster ${e('inputs.run-id')} (${e('inputs.mode')})`, context)).toBe(
        'claude-cluster 42 (task)',
      );
      expect(evaluateText(`task ${e('matrix.task.id')}`, context)).toBe('task api');
    });

    it('keeps the type of a whole-value expression, for matrices and numbers', () => {
      expect(evaluateValue(`${e('fromJSON(inputs.tasks)')}`, context)).toEqual([{ id: 'api' }, { id: 'db' }]);
      expect(evaluateValue(`${e('fromJSON(inputs.max-parallel)')}`, context)).toBe(4);
      expect(JSON.parse(evaluateText(`${e('toJSON(matrix.task)')}`, context))).toEqual({
        id: 'api',
        title: 'API',
      });
    });

    it('evaluates job conditions with GitHub’s case-insensitive equality', () => {
      expect(evaluateCondition("inputs.mode == 'TASK'", context)).toBe(true);
      expect(evaluateCondition("inputs.mode != 'plan' && inputs.mode != 'task'", context)).toBe(false);
      expect(evaluateCondition(e("inputs.mode == 'plan' || !inputs.missing"), context)).toBe(true);
    });

    it('reads a missing property as empty text', () => {
      expect(evaluateText(`[${e('secrets.ANTHROPIC_API_KEY')}]`, context)).toBe('[]');
    });
  });

  describe('with an expression outside the subset', () => {
    it('refuses it, naming the function', () => {
      expect(() => evaluateValue(e('hashFiles(inputs.mode)'), context)).toThrow(
        /does not know the function hashFiles/,
      );
    });
  });
});

describe('createdBounds (the `created` filter of workflow runs)', () => {
  it('reads comparisons, ranges and whole days', () => {
    const t = Date.parse('2026-11-24T10:00:00Z');
    expect(createdBounds('>=2026-11-24T10:00:00Z')).toEqual({ from: t, to: Number.POSITIVE_INFINITY });
    expect(createdBounds('2026-11-24T10:00:00Z..*')).toEqual({ from: t, to: Number.POSITIVE_INFINITY });
    expect(createdBounds('2026-11-24')).toEqual({
      from: Date.parse('2026-11-24T00:00:00Z'),
      to: Date.parse('2026-11-24T23:59:59.999Z'),
    });
  });
});
