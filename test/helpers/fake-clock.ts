import type { Clock } from '../../core/time/clock.ts';

/** A {@link Clock} whose time moves only when the test advances it. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, waking every sleep that ends by then, in order; settles their callbacks. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet woken (neither ended nor aborted). */
  pendingSleeps(): number;
  /** Waits (without time passing) until some code sleeps, then advances time to the end of the earliest sleep. */
  wakeNext(): Promise<void>;
}

interface Sleeper {
  at: number;
  wake: () => void;
}

/** A fake clock starting at `start` milliseconds since the epoch. */
export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  const sleepers = new Set<Sleeper>();
  let onSleep: (() => void) | undefined;
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const sleeper: Sleeper = {
          at: now + Math.max(0, ms),
          wake: () => {
            sleepers.delete(sleeper);
            signal?.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.add(sleeper);
        onSleep?.();
        signal?.addEventListener('abort', sleeper.wake, { once: true });
      });
    },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const next = [...sleepers].filter((s) => s.at <= until).sort((a, b) => a.at - b.at)[0];
        if (next === undefined) break;
        now = next.at;
        next.wake();
        // Let the woken code run (and perhaps sleep again) before time moves on.
        await settle();
      }
      now = until;
      await settle();
    },
    pendingSleeps: () => sleepers.size,
    async wakeNext() {
      if (sleepers.size === 0) {
        await new Promise<void>((resolve) => {
          onSleep = resolve;
        });
        onSleep = undefined;
      }
      const at = Math.min(...[...sleepers].map((s) => s.at));
      await this.advance(at - now);
    },
  };
}
