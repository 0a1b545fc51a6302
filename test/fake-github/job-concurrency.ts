/** A job holding or waiting for a concurrency group. */
interface Holder {
  /** Wakes a waiting job: true when it may run, false when a newer job replaced it. */
  wake(run: boolean): void;
  /** Cancels the job while it runs (`cancel-in-progress` of a newer job). */
  cancel(): void;
}

/**
 * Job-level `concurrency:` groups, as GitHub runs them: at most one running and one pending job per group (groups are
 * per repository: callers put the repository in the key). A new job waits behind the running one; a pending job is
 * replaced (cancelled) by a newer one; with `cancel-in-progress` the newer job also cancels the running one.
 */
export class JobConcurrency {
  private readonly groups = new Map<string, { running?: Holder; pending?: Holder }>();

  /**
   * Waits until the job may run in `key`. Resolves with the function that frees the group when the job ends, or
   * undefined when a newer job replaced this one while it waited (the job is then cancelled without running).
   */
  async acquire(
    key: string,
    cancelInProgress: boolean,
    cancel: () => void,
  ): Promise<(() => void) | undefined> {
    const group = this.groups.get(key) ?? {};
    this.groups.set(key, group);
    let wake: (run: boolean) => void = () => undefined;
    const turn = new Promise<boolean>((resolve) => {
      wake = resolve;
    });
    const holder: Holder = { wake, cancel };
    const release = () => {
      if (group.running !== holder) return;
      const next = group.pending;
      group.running = next;
      group.pending = undefined;
      next?.wake(true);
    };
    if (group.running === undefined) {
      group.running = holder;
      return release;
    }
    if (cancelInProgress) group.running.cancel();
    group.pending?.wake(false);
    group.pending = holder;
    return (await turn) ? release : undefined;
  }
}
