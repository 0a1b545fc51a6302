/** Formatting of the numbers a report shows: cost, duration, commit, counts. */

/** Dollars with two decimals: `0.1234` → `$0.12`. */
export function formatCost(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** A duration as a person reads it: `42s`, `1m 05s`, `2h 03m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** The 7-character abbreviation of a commit sha, as `git log --oneline` shows it. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** `1 task`, `2 tasks`: a count with its noun, plural when the count is not one. */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
