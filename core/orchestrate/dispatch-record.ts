import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LedgerRecord } from '../integrate/read-ledger.ts';
import { TaskIdSchema } from '../plan/plan-schema.ts';

/**
 * A dispatch token: random, so two orchestrators that dispatch the same wave at once send different tokens, and only
 * the one whose `dispatch` ledger entry lands first (a compare-and-swap on the integration branch) owns the tasks.
 */
export const DispatchTokenSchema = z
  .string()
  .regex(/^[0-9a-f]{16}$/, 'a dispatch token is 16 lowercase hexadecimal digits');

/**
 * What a `dispatch` ledger entry records in its excerpt: the tasks (with their attempt) sent in one workflow
 * dispatch, the token every job of that dispatch carries, and the workflow run GitHub created, when it said.
 */
export const DispatchRecordSchema = z.object({
  token: DispatchTokenSchema,
  tasks: z.array(z.object({ id: TaskIdSchema, attempt: z.number().int().min(1) })).min(1),
  workflowRun: z.number().int().positive().optional(),
});

/** One `dispatch` ledger entry, parsed. */
export type DispatchRecord = z.infer<typeof DispatchRecordSchema>;

/** A fresh dispatch token. */
export function newDispatchToken(): string {
  return randomBytes(8).toString('hex');
}

/** The excerpt of a `dispatch` ledger entry. */
export function formatDispatchRecord(record: DispatchRecord): string {
  return JSON.stringify(DispatchRecordSchema.parse(record));
}

/** A `dispatch` entry's record, or undefined when its excerpt is not one (entries are data from a branch). */
export function parseDispatchRecord(excerpt: string | undefined): DispatchRecord | undefined {
  try {
    const parsed = DispatchRecordSchema.safeParse(JSON.parse(excerpt ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The excerpt of an `expire` entry: the token of a dispatch whose job gave up waiting for its record. */
export function formatExpiredToken(token: string): string {
  return JSON.stringify({ token: DispatchTokenSchema.parse(token) });
}

/** Tokens that `expire` entries voided: their dispatches own nothing, whenever their record lands. */
export function expiredTokens(ledger: readonly LedgerRecord[]): Set<string> {
  const expired = new Set<string>();
  for (const record of ledger) {
    if (record.event !== 'expire') continue;
    try {
      const parsed = z.object({ token: DispatchTokenSchema }).safeParse(JSON.parse(record.excerpt ?? ''));
      if (parsed.success) expired.add(parsed.data.token);
    } catch {
      // Not an expiry this version wrote: it voids nothing.
    }
  }
  return expired;
}

/** Each retried task's current attempt: 1 plus its `retry` entries (tasks never retried are absent: attempt 1). */
export function taskAttempts(ledger: readonly LedgerRecord[]): Map<string, number> {
  const attempts = new Map<string, number>();
  for (const record of ledger)
    if (record.event === 'retry' && record.task)
      attempts.set(record.task, (attempts.get(record.task) ?? 1) + 1);
  return attempts;
}

/**
 * The dispatch that owns each task's latest attempt: the first `dispatch` entry (in ledger order) naming the task at
 * that attempt, unless a job of it expired it. A later entry for the same attempt lost the race and owns nothing;
 * its jobs stop without working.
 */
export function dispatchOwners(ledger: readonly LedgerRecord[]): Map<string, DispatchRecord> {
  const owners = new Map<string, DispatchRecord>();
  const attempts = taskAttempts(ledger);
  const expired = expiredTokens(ledger);
  for (const record of ledger) {
    if (record.event !== 'dispatch') continue;
    const dispatch = parseDispatchRecord(record.excerpt);
    if (dispatch === undefined || expired.has(dispatch.token)) continue;
    for (const task of dispatch.tasks) {
      if (task.attempt === (attempts.get(task.id) ?? 1) && !owners.has(task.id))
        owners.set(task.id, dispatch);
    }
  }
  return owners;
}
