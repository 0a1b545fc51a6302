import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors/errors.ts';
import { dispatchWorkflow } from '../../core/orchestrate/dispatch-workflow.ts';
import {
  dispatchInputsSize,
  dispatchLimitProblem,
  splitIntoDispatches,
} from '../../core/orchestrate/split-dispatch.ts';
import { testOctokit } from '../github/github-api.ts';

const tooLarge = (item: string, problem: string) => new InputError(`${item}: ${problem}`);

describe('splitIntoDispatches', () => {
  it('keeps a wave that fits in one dispatch together', () => {
    expect(splitIntoDispatches(['a', 'b', 'c'], (part) => ({ tasks: part.join() }), tooLarge)).toEqual([
      ['a', 'b', 'c'],
    ]);
  });

  it('starts a new dispatch after 256 matrix jobs', () => {
    const items = Array.from({ length: 300 }, (_, n) => `t${n}`);
    const parts = splitIntoDispatches(items, (part) => ({ tasks: JSON.stringify(part) }), tooLarge);
    expect(parts.map((part) => part.length)).toEqual([256, 44]);
    expect(parts.flat()).toEqual(items);
  });

  it('counts the names, quotes and escapes of every input, not only the tasks', () => {
    // 65,500 characters of quotes: within the limit as text, twice that once escaped in the request's JSON.
    const quotes = '"'.repeat(65_500);
    expect(dispatchInputsSize({ tasks: quotes })).toBeGreaterThan(131_000);
    expect(dispatchInputsSize({ tasks: 'é' })).toBe(JSON.stringify({ tasks: 'é' }).length + 1);
    expect(dispatchLimitProblem({ tasks: 'x'.repeat(65_520), 'run-id': 'r' })).toMatch(
      /^655\d\d characters of inputs, more than the 65535/,
    );
  });

  it('refuses more than 25 inputs', () => {
    const inputs = Object.fromEntries(Array.from({ length: 26 }, (_, n) => [`input-${n}`, 'x']));
    expect(dispatchLimitProblem(inputs)).toBe('26 inputs, more than the 25 GitHub accepts');
  });

  it('refuses, with the caller’s error, an item that does not fit even alone', () => {
    expect(() =>
      splitIntoDispatches(
        ['small', 'huge'],
        (part) => ({ tasks: part.includes('huge') ? 'x'.repeat(70_000) : '' }),
        tooLarge,
      ),
    ).toThrow(/^huge: 700\d\d characters of inputs/);
  });
});

describe('dispatchWorkflow', () => {
  it('refuses inputs beyond GitHub’s limit in our words instead of sending them', async () => {
    const sending = dispatchWorkflow(testOctokit(), { owner: 'o', repo: 'r' }, 'claude-cluster.yml', 'main', {
      'run-id': 'r1',
      'issue-number': 1,
      'base-ref': 'main',
      mode: 'task',
      tasks: 'x'.repeat(65_500),
    });
    await expect(sending).rejects.toThrow(InputError);
    await expect(sending).rejects.toThrow(
      /^cannot dispatch `claude-cluster.yml`: its inputs take 655\d\d characters/,
    );
  });
});
