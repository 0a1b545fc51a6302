import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../core/config/closest-name.ts';

const keys = ['max_parallel', 'max_tasks', 'max_turns', 'on_conflict', 'draft'];

describe('closestName', () => {
  it.each([
    ['max_paralel', 'max_parallel'],
    ['maxParallel', 'max_parallel'],
    ['max-tasks', 'max_tasks'],
    ['on_confilct', 'on_conflict'],
    ['darft', 'draft'],
  ])('suggests %j for %j', (typo, key) => {
    expect(closestName(typo, keys)).toBe(key);
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('workers', keys)).toBeUndefined();
  });

  it('does not call one short name a typo of another', () => {
    expect(closestName('b', ['a'])).toBeUndefined();
  });

  it('suggests nothing for very long input', () => {
    expect(closestName(`max_parallel${'x'.repeat(200)}`, keys)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('darft', 'draft')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
