import pLimit, { type LimitFunction } from 'p-limit';

/** Runs work one at a time per key; work under different keys runs concurrently. */
export type SerializeByKey = <T>(key: string, work: () => Promise<T>) => Promise<T>;

interface KeyedLimit {
  limit: LimitFunction;
  /** Calls queued or running under the key; the entry is dropped when it reaches zero. */
  users: number;
}

/**
 * A keyed `p-limit(1)` map: concurrent webhook deliveries for the same run (or issue) never interleave within this
 * process (across processes the integration branch's compare-and-swap updates hold). Keys are dropped once idle, so the map only holds
 * the runs being worked on right now.
 */
export function createSerializeByKey(): SerializeByKey {
  const limits = new Map<string, KeyedLimit>();
  return async (key, work) => {
    let entry = limits.get(key);
    if (entry === undefined) {
      entry = { limit: pLimit(1), users: 0 };
      limits.set(key, entry);
    }
    entry.users += 1;
    try {
      return await entry.limit(work);
    } finally {
      entry.users -= 1;
      // Nothing is queued behind this call: a later call may start a fresh limiter.
      if (entry.users === 0) limits.delete(key);
    }
  };
}
