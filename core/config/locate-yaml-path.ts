import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import type { DataPath } from './describe-zod-issue.ts';

function findPair(node: Node, key: PropertyKey): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(key));
}

/**
 * The 1-based line of the value at `path` in a parsed document. A mapping value is located by its key,
 * so an error about `allowed_tools` points at the `allowed_tools:` line even when the list starts below.
 * A path that does not exist (a missing key) falls back to the deepest part that does.
 */
export function lineOfPath(document: Document, lineCounter: LineCounter, path: DataPath): number {
  let node: unknown = document.contents;
  let offset = isScalar(node) || isMap(node) || isSeq(node) ? (node.range?.[0] ?? 0) : 0;
  for (const segment of path) {
    if (!isMap(node) && !isSeq(node)) break;
    if (isSeq(node)) {
      const item = typeof segment === 'number' ? node.items[segment] : undefined;
      if (item === undefined || isPair(item)) break;
      node = item;
      offset = (item as Node).range?.[0] ?? offset;
      continue;
    }
    const pair = findPair(node, segment);
    if (pair === undefined) break;
    offset = (pair.key as Node).range?.[0] ?? offset;
    node = pair.value;
  }
  return lineCounter.linePos(offset).line;
}
