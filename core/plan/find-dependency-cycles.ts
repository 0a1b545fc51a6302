/**
 * Dependency cycles of a task graph, found with Tarjan's strongly connected components in linear time.
 * Each tangle of mutually dependent tasks is reported once, as one concrete cycle through it.
 */

/** Strongly connected components with more than one node, each as node indices; iterative, so deep chains cannot overflow the stack. */
function tangledComponents(edges: readonly (readonly number[])[]): number[][] {
  const count = edges.length;
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    // Each frame is a node and how many of its edges have been followed.
    const frames: [number, number][] = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [node, edge] = frame;
      const targets = edges[node]!;
      if (edge < targets.length) {
        frame[1]++;
        const target = targets[edge]!;
        if (index[target] === -1) {
          index[target] = low[target] = next++;
          stack.push(target);
          onStack[target] = true;
          frames.push([target, 0]);
        } else if (onStack[target]) {
          low[node] = Math.min(low[node]!, index[target]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] !== index[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort((a, b) => a - b));
    }
  }
  return components;
}

/** The shortest cycle from `start` back to itself inside one component, by breadth-first search. */
function shortestCycleThrough(
  start: number,
  members: ReadonlySet<number>,
  edges: readonly (readonly number[])[],
) {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const target of edges[node]!) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        for (let at = node; at !== start; ) {
          at = parent.get(at)!;
          path.push(at);
        }
        return path.reverse();
      }
      if (!parent.has(target)) {
        parent.set(target, node);
        queue.push(target);
      }
    }
  }
  // Unreachable: every node of a strongly connected component lies on a cycle.
  throw new Error(`no cycle through node ${start} in its component`);
}

/**
 * One cycle per group of mutually dependent nodes. `edges[i]` lists the nodes `i` depends on; self-edges
 * are ignored (they are reported separately). Each cycle starts at its lowest index and lists the nodes in
 * dependency order without repeating the first: `[a, b, c]` means a → b → c → a. Cycles are sorted by
 * their first node.
 */
export function findDependencyCycles(edges: readonly (readonly number[])[]): number[][] {
  const withoutSelf = edges.map((targets, node) => targets.filter((target) => target !== node));
  return tangledComponents(withoutSelf)
    .map((component) => shortestCycleThrough(component[0]!, new Set(component), withoutSelf))
    .sort((a, b) => a[0]! - b[0]!);
}
