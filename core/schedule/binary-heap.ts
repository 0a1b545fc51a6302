/**
 * A binary min-heap ordered by a caller-supplied `before` relation: `pop` returns the item that comes
 * before every other. `push` and `pop` cost O(log n), `peek` O(1). Not stable on its own; callers that
 * need determinism make `before` a total order (e.g. break ties by plan index).
 */
export class BinaryHeap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;

  /** `before(a, b)` is true when `a` must leave the heap before `b`. */
  constructor(before: (a: T, b: T) => boolean) {
    this.#before = before;
  }

  /** Number of items in the heap. */
  get size(): number {
    return this.#items.length;
  }

  /** The item `pop` would return, without removing it; `undefined` when empty. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds an item in O(log n). */
  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const parentItem = items[parent] as T;
      if (!this.#before(item, parentItem)) break;
      items[child] = parentItem;
      child = parent;
    }
    items[child] = item;
  }

  /** Removes and returns the first item in O(log n); `undefined` when empty. */
  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const length = items.length;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && this.#before(items[right] as T, items[left] as T)) child = right;
      const childItem = items[child] as T;
      if (!this.#before(childItem, last)) break;
      items[parent] = childItem;
      parent = child;
    }
    items[parent] = last;
    return top;
  }
}
