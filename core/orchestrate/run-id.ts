import { createHash } from 'node:crypto';

/**
 * The run id of a trigger: the issue number and a short hash of the trigger's identity, so a redelivered or
 * duplicated event always names the same run (and its branches), while a new `/cluster` starts a new one.
 */
export function runIdForTrigger(issueNumber: number, triggerId: string): string {
  const hash = createHash('sha256').update(triggerId).digest('hex').slice(0, 8);
  return `${issueNumber}-${hash}`;
}

/** The issue number a run id starts with, or undefined for ids not made by `runIdForTrigger`. */
export function issueNumberOfRunId(runId: string): number | undefined {
  const match = /^(\d+)-[0-9a-f]{8}$/.exec(runId);
  return match ? Number(match[1]) : undefined;
}
