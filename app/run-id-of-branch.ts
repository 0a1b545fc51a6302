import { RunIdSchema, runBranches } from '../core/integrate/branch-names.ts';

/**
 * The run id whose integration branch `ref` is (`<branch_prefix>/<run>/integration`), or undefined for any other
 * branch.
 */
export function runIdOfIntegrationBranch(ref: string, branchPrefix: string): string | undefined {
  const start = `${branchPrefix}/`;
  if (!ref.startsWith(start)) return undefined;
  const runId = RunIdSchema.safeParse(ref.slice(start.length, ref.lastIndexOf('/')));
  if (!runId.success) return undefined;
  return runBranches(branchPrefix, runId.data).integration === ref ? runId.data : undefined;
}
