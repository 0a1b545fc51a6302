/**
 * How an injected failure hits a REST request: `status500` answers 500 without doing anything; `dropConnection`
 * closes the socket without doing anything; `dropAfterApply` does the work, then closes the socket before answering
 * (the client cannot tell whether the change happened); `secondaryRateLimit` answers 403 with `retry-after` and
 * GitHub's secondary rate limit message, and `tooManyRequests` 429 with `retry-after`, both without doing anything.
 */
export type FaultKind =
  | 'status500'
  | 'dropConnection'
  | 'dropAfterApply'
  | 'secondaryRateLimit'
  | 'tooManyRequests';

/**
 * REST API request counts: in all, per route (`GET /repos/{owner}/{repo}/issues/{issue_number}`), and per caller
 * (`app` for JWT calls, `installation`, `job` for workflow tokens, `user`, `anonymous`), with the routes each caller used.
 */
export interface ApiCallCount {
  total: number;
  /** Every request's route, in the order they came. */
  sequence: string[];
  byRoute: Record<string, number>;
  byCaller: Record<string, { total: number; byRoute: Record<string, number> }>;
}

/** Counts REST requests (git over HTTP is not counted) and fails chosen ones. */
export class FaultInjector {
  private counted = 0;
  private byRoute: Record<string, number> = {};
  private byCaller: ApiCallCount['byCaller'] = {};
  private sequence: string[] = [];
  private readonly planned = new Map<number, FaultKind>();
  /** Every fault injected so far, as `METHOD path`. */
  readonly injected: { request: string; kind: FaultKind }[] = [];

  /** Fails the n-th REST request from now (1 = the next one). */
  failNth(n: number, kind: FaultKind): void {
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`failNthRequest needs a whole number from 1, not ${n}`);
    this.planned.set(this.counted + n, kind);
  }

  /** Counts one request and returns the fault to inject into it, if any. */
  count(route: string, request: string, caller = 'anonymous'): FaultKind | undefined {
    this.counted++;
    this.sequence.push(route);
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
    const mine = this.byCaller[caller] ?? { total: 0, byRoute: {} };
    this.byCaller[caller] = mine;
    mine.total++;
    mine.byRoute[route] = (mine.byRoute[route] ?? 0) + 1;
    const kind = this.planned.get(this.counted);
    if (kind === undefined) return undefined;
    this.planned.delete(this.counted);
    this.injected.push({ request, kind });
    return kind;
  }

  /** Requests counted since the start or the last reset. */
  snapshot(): ApiCallCount {
    return {
      total: this.counted,
      sequence: [...this.sequence],
      byRoute: { ...this.byRoute },
      byCaller: Object.fromEntries(
        Object.entries(this.byCaller).map(([caller, count]) => [
          caller,
          { total: count.total, byRoute: { ...count.byRoute } },
        ]),
      ),
    };
  }

  /** Starts counting from zero (planned faults keep their place relative to now). */
  reset(): void {
    const pending = [...this.planned].map(([at, kind]) => [at - this.counted, kind] as const);
    this.planned.clear();
    for (const [at, kind] of pending) this.planned.set(at, kind);
    this.counted = 0;
    this.byRoute = {};
    this.byCaller = {};
    this.sequence = [];
  }
}
