import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Counts work in progress (requests being answered, webhook deliveries, workflow runs) so a test can wait until
 * the fake has nothing left to do. Each `begin()` returns its own `end`, which is safe to call more than once.
 */
export class ActivityTracker {
  private active = 0;
  private waiters: (() => void)[] = [];

  /** Marks one piece of work as started; call the returned function when it ends. */
  begin(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.active--;
      if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** Runs `work` as one piece of activity. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work();
    } finally {
      end();
    }
  }

  /** Work in progress now. */
  get count(): number {
    return this.active;
  }

  /**
   * Resolves once nothing has been in progress for `quietMs` (so work that starts right after other work ends,
   * such as the App reacting to a delivery it already answered, is waited for too). Rejects after `timeoutMs`.
   */
  async idle(options: { quietMs?: number; timeoutMs?: number } = {}): Promise<void> {
    const quietMs = options.quietMs ?? 50;
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      while (this.active > 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0)
          throw new Error(`the fake GitHub still has ${this.active} piece(s) of work in progress`);
        await Promise.race([new Promise<void>((resolve) => this.waiters.push(resolve)), sleep(remaining)]);
      }
      await sleep(quietMs);
      if (this.active === 0) return;
    }
  }
}
