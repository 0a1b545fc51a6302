import { type Clock, systemClock } from '../time/clock.ts';

/**
 * A map that forgets its least recently set entries beyond `limit`: what an orchestrator remembers between events
 * must stay bounded however many runs a long-lived App sees.
 */
export class BoundedMap<V> {
  private readonly entries = new Map<string, V>();
  private readonly limit: number;
  private readonly onEvict: ((value: V) => void) | undefined;

  constructor(limit: number, onEvict?: (value: V) => void) {
    this.limit = limit;
    this.onEvict = onEvict;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) {
        const evicted = this.entries.get(oldest.value);
        this.entries.delete(oldest.value);
        if (evicted !== undefined) this.onEvict?.(evicted);
      }
    }
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** A status comment this orchestrator wrote, and its pacing. */
export interface KnownStatusComment {
  id: number;
  body: string;
  editedAt: number;
  /** Aborted when a newer edit replaces the held one or the run is forgotten. */
  held?: AbortController;
}

/** What this orchestrator published for a run. */
export interface PublishedRun {
  pull?: number;
  pullBody?: string;
  /** Where this orchestrator last saw or moved the integration branch (the pull request's head). */
  integration?: string;
  /** Head and finished flag of the last check run written. */
  check?: string;
  /** A head known to have no check run yet (its pull request was opened by this orchestrator). */
  checkless?: string;
}

/**
 * What one orchestrator remembers between events, only to save requests and pace edits: nothing in it decides
 * anything. A fresh orchestrator (a restart, another replica) finds the same things on GitHub at the cost of a few
 * more requests.
 */
export interface OrchestratorMemory {
  /** By `owner/repo#run`. */
  statusComments: BoundedMap<KnownStatusComment>;
  /** By `owner/repo#run`. */
  published: BoundedMap<PublishedRun>;
  /** The time status edits are paced by. */
  clock: Clock;
}

/** Runs remembered at most; older ones are looked up again when they come back. */
const MAX_RUNS = 1000;

/** An empty memory, pacing by `clock`. */
export function createOrchestratorMemory(clock: Clock = systemClock): OrchestratorMemory {
  return {
    statusComments: new BoundedMap<KnownStatusComment>(MAX_RUNS, (comment) => comment.held?.abort()),
    published: new BoundedMap<PublishedRun>(MAX_RUNS),
    clock,
  };
}

/** The memory key of a run. */
export function runKey(repo: { owner: string; repo: string }, runId: string): string {
  return `${repo.owner}/${repo.repo}#${runId}`.toLowerCase();
}
