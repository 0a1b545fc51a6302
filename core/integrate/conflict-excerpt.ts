/** Lines of context kept around each conflict region. */
const CONTEXT_LINES = 2;
/** Most lines stored per file in the ledger; the report renderer caps further. */
const MAX_LINES_PER_FILE = 160;

/**
 * The conflicting hunks of one file as git left them (with markers), with a little context and line numbers, for
 * conflict notes. Returns '' when the text holds no conflict markers (e.g. a modify/delete conflict).
 */
export function extractConflictHunks(path: string, text: string): string {
  const lines = text.split('\n');
  const keep = new Set<number>();
  let inside = false;
  let start = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (!inside && line.startsWith('<<<<<<< ')) {
      inside = true;
      start = index;
    } else if (inside && line.startsWith('>>>>>>> ')) {
      inside = false;
      for (
        let k = Math.max(0, start - CONTEXT_LINES);
        k <= Math.min(lines.length - 1, index + CONTEXT_LINES);
        k++
      ) {
        keep.add(k);
      }
    }
  }
  if (keep.size === 0) return '';
  const out: string[] = [`--- ${path}`];
  let previous = -2;
  for (const index of [...keep].sort((a, b) => a - b)) {
    if (index !== previous + 1) out.push(`@@ line ${index + 1} @@`);
    out.push(lines[index]!);
    previous = index;
  }
  if (out.length > MAX_LINES_PER_FILE) {
    const omitted = out.length - MAX_LINES_PER_FILE;
    return [...out.slice(0, MAX_LINES_PER_FILE), `… ${omitted} more lines`].join('\n');
  }
  return out.join('\n');
}

/** Replaces commit hashes in conflict marker lines with readable names (branch names). */
export function labelConflictMarkers(text: string, labels: Record<string, string>): string {
  return text.replace(
    /^(<{7}|>{7}|\|{7}) ([0-9a-f]{40,64})(.*)$/gm,
    (all, marker: string, hash: string, rest: string) =>
      labels[hash] ? `${marker} ${labels[hash]}${rest}` : all,
  );
}

/** True when a file still holds a conflict's opening or closing marker line. */
export function hasConflictMarkers(text: string): boolean {
  return /^(<{7}|>{7}) /m.test(text) || /^\|{7} /m.test(text);
}
