/**
 * "Did you mean …?" suggestions for misspelt keys and ids, by edit distance.
 */

/** Levenshtein distance with adjacent transpositions (optimal string alignment), so `max_paralel` is one edit away. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Case, `-`/`_` and spaces do not count as differences: `maxParallel` and `max-parallel` both mean `max_parallel`. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate closest to `input`, or undefined when none is close enough to be a plausible typo
 * (at most a third of the name's length in edits, at least one, and fewer than the shorter name's length). Ties go to the earlier candidate.
 */
export function closestName(input: string, candidates: readonly string[]): string | undefined {
  // Nobody mistypes a 100-character key; skipping long input also bounds the quadratic distance.
  if (input.length > 100) return undefined;
  const wanted = normalize(input);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = editDistance(wanted, normalize(candidate));
    // Replacing every character of a short name is not a typo: `b` is not a misspelt `a`.
    const allowed = Math.min(
      Math.max(1, Math.floor(candidate.length / 3)),
      Math.min(wanted.length, candidate.length) - 1,
    );
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
