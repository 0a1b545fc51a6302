import { describe, expect, it } from 'vitest';
import { runIdOfIntegrationBranch } from '../../app/run-id-of-branch.ts';

describe('runIdOfIntegrationBranch', () => {
  it.each([
    ['cluster/issue-42/integration', 'cluster', 'issue-42'],
    ['bots/cluster/r1/integration', 'bots/cluster', 'r1'],
  ])('finds the run of %j under prefix %j', (ref, prefix, runId) => {
    expect(runIdOfIntegrationBranch(ref, prefix)).toBe(runId);
  });

  it.each([
    ['cluster/issue-42/tasks/api', 'cluster'],
    ['cluster/integration', 'cluster'],
    ['cluster/a/b/integration', 'cluster'],
    ['other/issue-42/integration', 'cluster'],
    ['cluster/Issue-42/integration', 'cluster'],
    ['cluster/../integration', 'cluster'],
  ])('finds no run in %j under prefix %j', (ref, prefix) => {
    expect(runIdOfIntegrationBranch(ref, prefix)).toBeUndefined();
  });
});
