import type { Plan } from '../core/plan/plan-schema.ts';

/** A seeded pseudo-random source (mulberry32): the same seed gives the same numbers on every machine. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** A mulberry32 generator seeded with `seed`. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** The shapes of DAG the benchmark draws. */
export type DagShape = 'layered' | 'random-order';

/** What to generate. */
export interface DagSpec {
  tasks: number;
  shape: DagShape;
  /** Mean number of dependencies per task (before clipping to the tasks available). */
  meanDegree: number;
  /** Directories to draw each task's file globs from; 0 leaves `files` empty. */
  fileDirectories?: number;
}

/**
 * A random plan whose estimates are the task durations. `layered`: tasks spread over a random number
 * of layers, each depending on tasks of earlier layers, mostly the previous one. `random-order`: a
 * random permutation, each task depending on random earlier ones. Plan order is shuffled so ties do not
 * follow the generation order.
 */
export function generateDag(random: Random, spec: DagSpec): Plan {
  const dependencies = spec.shape === 'layered' ? layeredEdges(random, spec) : randomOrderEdges(random, spec);
  const ids = dependencies.map((_, position) => `t${position}`);
  const tasks = ids.map((id, position) => ({
    id,
    title: id,
    prompt: `do ${id}`,
    depends_on: [...new Set(dependencies[position]!)].map((dependency) => ids[dependency]!),
    files: fileGlobs(random, spec.fileDirectories ?? 0),
    estimate: drawDuration(random),
  }));
  return { tasks: shuffle(random, tasks) };
}

/** 85 % uniform on 1–10, 15 % a Pareto tail (α = 1.5) from 10 up to 200. */
export function drawDuration(random: Random): number {
  if (random.next() < 0.85) return random.int(1, 10);
  return Math.min(200, Math.round(10 * (1 - random.next()) ** (-1 / 1.5)));
}

function layeredEdges(random: Random, spec: DagSpec): number[][] {
  const layerCount = random.int(2, Math.max(2, Math.round(Math.sqrt(spec.tasks) * 1.5)));
  const layerOf = Array.from({ length: spec.tasks }, (_, position) =>
    position < layerCount ? position : random.int(0, layerCount - 1),
  );
  const order = layerOf.map((_, position) => position).sort((a, b) => layerOf[a]! - layerOf[b]! || a - b);
  const byLayer: number[][] = Array.from({ length: layerCount }, () => []);
  for (const position of order) byLayer[layerOf[position]!]!.push(position);
  const dependencies: number[][] = layerOf.map(() => []);
  for (const position of order) {
    const layer = layerOf[position]!;
    if (layer === 0) continue;
    const count = Math.max(1, Math.round(spec.meanDegree * 2 * random.next()));
    for (let edge = 0; edge < count; edge++) {
      // Mostly the previous layer, sometimes any earlier one (a skip edge).
      const from = random.next() < 0.8 ? layer - 1 : random.int(0, layer - 1);
      dependencies[position]!.push(random.pick(byLayer[from]!));
    }
  }
  return dependencies;
}

function randomOrderEdges(random: Random, spec: DagSpec): number[][] {
  const dependencies: number[][] = Array.from({ length: spec.tasks }, () => []);
  for (let position = 1; position < spec.tasks; position++) {
    const count = Math.min(position, Math.round(spec.meanDegree * 2 * random.next()));
    for (let edge = 0; edge < count; edge++) dependencies[position]!.push(random.int(0, position - 1));
  }
  return dependencies;
}

function fileGlobs(random: Random, directories: number): string[] {
  if (directories === 0 || random.next() < 0.2) return [];
  const directory = `src/d${random.int(0, directories - 1)}`;
  return random.next() < 0.5
    ? [`${directory}/**`]
    : [`${directory}/*.ts`, `test/d${random.int(0, directories - 1)}/`];
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let at = items.length - 1; at > 0; at--) {
    const other = random.int(0, at);
    [items[at], items[other]] = [items[other]!, items[at]!];
  }
  return items;
}
