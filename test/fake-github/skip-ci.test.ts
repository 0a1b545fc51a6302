import { describe, expect, it } from 'vitest';
import { skipsWorkflows } from './match-workflow-trigger.ts';

describe('a head commit message', () => {
  it('skips push and pull_request workflows with any of GitHub’s markers, anywhere in the message', () => {
    for (const marker of ['[skip ci]', '[ci skip]', '[no ci]', '[skip actions]', '[actions skip]'])
      expect(skipsWorkflows(`Fix the build\n\nBody ${marker} here`)).toBe(true);
  });

  it('skips them with a skip-checks trailer after two empty lines at the end, with or without the space', () => {
    expect(skipsWorkflows('Fix\n\n\nskip-checks: true')).toBe(true);
    expect(skipsWorkflows('Fix\n\n\nskip-checks:true\n')).toBe(true);
  });

  it('does not skip them for near misses: another bracket text, or a trailer that does not end the message', () => {
    expect(skipsWorkflows('Fix [skip-ci] and [ci]')).toBe(false);
    expect(skipsWorkflows('Fix\n\n\nskip-checks: true\nmore text')).toBe(false);
    expect(skipsWorkflows('skip-checks: false')).toBe(false);
  });
});
