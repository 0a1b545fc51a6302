import { setTimeout as wait } from 'node:timers/promises';

/**
 * Where code that paces or waits reads the time and sleeps. Production uses {@link systemClock}; tests inject a fake
 * clock (`test/helpers/fake-clock.ts`) and advance it, so no test waits in real time.
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  /** Resolves after `ms` milliseconds, or at once when `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    wait(Math.max(0, ms), undefined, signal ? { signal } : {}).catch((error: unknown) => {
      // An abort ends the sleep early; anything else is a real failure.
      if (signal?.aborted) return;
      throw error;
    }),
};
