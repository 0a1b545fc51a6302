import { BinaryHeap } from './binary-heap.ts';
import { globsOverlap } from './globs-overlap.ts';

/**
 * Tasks naming the same set of globs overlap each other and every other task alike, so the queue keeps
 * one heap per distinct set ("file group") and a heap of groups ordered by each group's best task.
 */
interface FileGroup {
  readonly globs: readonly string[];
  /** Tasks of the group, best rank first; may hold removed tasks until they surface. */
  readonly tasks: BinaryHeap<number>;
  /** Bumped whenever the group gets a new entry in the group heap; older entries are stale. */
  version: number;
}

interface GroupEntry {
  readonly group: number;
  readonly position: number;
  readonly version: number;
}

/**
 * The ready tasks of a run, ordered by rank, able to pick the tasks to start now while keeping tasks
 * with overlapping file globs apart. `add` and `remove` are O(log n) (removal is lazy); `take` is
 * O((k + d) log n) for k picks and d file groups passed over because they overlap a busy task, plus one
 * glob comparison per pair of distinct file groups over the whole run (memoized).
 */
export class ReadyQueue {
  readonly #groupOf: readonly number[];
  readonly #groups: FileGroup[] = [];
  readonly #queued: Uint8Array;
  readonly #entries: BinaryHeap<GroupEntry>;
  readonly #overlaps = new Map<number, boolean>();

  /** `rank[position]` orders tasks (lower starts first); `files[position]` are the task's globs. */
  constructor(rank: readonly number[], files: readonly (readonly string[])[]) {
    this.#queued = new Uint8Array(rank.length);
    this.#entries = new BinaryHeap<GroupEntry>((a, b) => rank[a.position]! < rank[b.position]!);
    const groupByKey = new Map<string, number>();
    this.#groupOf = files.map((globs) => {
      const distinct = [...new Set(globs)].sort();
      const key = JSON.stringify(distinct);
      let group = groupByKey.get(key);
      if (group === undefined) {
        group = this.#groups.length;
        groupByKey.set(key, group);
        this.#groups.push({
          globs: distinct,
          tasks: new BinaryHeap<number>((a, b) => rank[a]! < rank[b]!),
          version: 0,
        });
      }
      return group;
    });
  }

  /** Whether the task at `position` is queued. */
  has(position: number): boolean {
    return this.#queued[position] === 1;
  }

  /** Queues a task that became ready. */
  add(position: number): void {
    if (this.#queued[position] === 1) return;
    this.#queued[position] = 1;
    const groupIndex = this.#groupOf[position]!;
    const group = this.#groups[groupIndex]!;
    group.tasks.push(position);
    if (group.tasks.peek() === position) this.#pushEntry(groupIndex);
  }

  /** Drops a queued task (started elsewhere, completed or blocked). */
  remove(position: number): void {
    this.#queued[position] = 0;
  }

  /**
   * Removes and returns up to `slots` tasks to start, in order: each time the best-ranked task whose
   * globs overlap neither a `busy` task nor one picked before it; when every queued task overlaps, the
   * best-ranked one anyway, so that no slot idles while work is ready.
   */
  take(slots: number, busy: readonly number[]): number[] {
    const blockers = new Set<number>();
    for (const position of busy) this.#addBlocker(blockers, this.#groupOf[position]!);
    const picks: number[] = [];
    let deferred: GroupEntry[] = [];
    let fillAnyway = false;
    while (picks.length < slots) {
      const entry = this.#popEntry();
      if (entry === undefined) {
        if (fillAnyway || deferred.length === 0) break;
        // Every ready task overlaps something busy: from now on take the best regardless.
        fillAnyway = true;
        for (const waiting of deferred) this.#entries.push(waiting);
        deferred = [];
        continue;
      }
      if (!fillAnyway && this.#overlapsAny(entry.group, blockers)) {
        deferred.push(entry);
        continue;
      }
      const group = this.#groups[entry.group]!;
      group.tasks.pop();
      this.#queued[entry.position] = 0;
      picks.push(entry.position);
      this.#addBlocker(blockers, entry.group);
      if (group.tasks.size > 0) this.#pushEntry(entry.group);
    }
    for (const waiting of deferred) this.#entries.push(waiting);
    return picks;
  }

  // Tasks that name no files are kept apart from nothing, so their group never blocks.
  #addBlocker(blockers: Set<number>, group: number): void {
    if (this.#groups[group]!.globs.length > 0) blockers.add(group);
  }

  #overlapsAny(group: number, blockers: ReadonlySet<number>): boolean {
    for (const blocker of blockers) {
      if (this.#groupsOverlap(group, blocker)) return true;
    }
    return false;
  }

  #groupsOverlap(a: number, b: number): boolean {
    const key = Math.min(a, b) * this.#groups.length + Math.max(a, b);
    let overlap = this.#overlaps.get(key);
    if (overlap === undefined) {
      overlap = globsOverlap(this.#groups[a]!.globs, this.#groups[b]!.globs);
      this.#overlaps.set(key, overlap);
    }
    return overlap;
  }

  #pushEntry(groupIndex: number): void {
    const group = this.#groups[groupIndex]!;
    group.version += 1;
    this.#entries.push({ group: groupIndex, position: group.tasks.peek()!, version: group.version });
  }

  // The next live entry whose task is its group's best queued task; fixes stale entries on the way.
  #popEntry(): GroupEntry | undefined {
    for (;;) {
      const entry = this.#entries.pop();
      if (entry === undefined) return undefined;
      const group = this.#groups[entry.group]!;
      if (entry.version !== group.version) continue;
      while (group.tasks.size > 0 && this.#queued[group.tasks.peek()!] === 0) group.tasks.pop();
      if (group.tasks.size === 0) {
        group.version += 1;
        continue;
      }
      if (group.tasks.peek() === entry.position) return entry;
      this.#pushEntry(entry.group);
    }
  }
}
