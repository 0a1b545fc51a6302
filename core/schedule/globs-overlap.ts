import picomatch from 'picomatch';

/** One path segment of a glob: `**` (any number of segments) or a pattern for exactly one segment. */
type Segment =
  | { kind: 'globstar' }
  | { kind: 'literal'; text: string }
  | { kind: 'wildcard'; pattern: string };

const GLOBSTAR: Segment = { kind: 'globstar' };
// Dotfiles count: a task naming `src/**` may well touch `src/.env`, so keeping apart errs that way.
const MATCH_OPTIONS = { dot: true };

/**
 * Whether some path could match a glob of `a` and a glob of `b`; symmetric. An empty list means the
 * task did not say which files it touches, and such a task is not kept apart from anything. A glob
 * ending in `/` is a directory and covers everything under it; `./` prefixes are ignored. Negated globs
 * (`!x`) only narrow a list, so they are left out (which can only report more overlap, never less).
 */
export function globsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const left = toSegmentLists(a);
  const right = toSegmentLists(b);
  return left.some((x) => right.some((y) => segmentListsOverlap(x, y)));
}

function toSegmentLists(globs: readonly string[]): Segment[][] {
  // `!(…)` is an extglob, not a negation.
  const positive = globs.filter((glob) => !glob.startsWith('!') || glob.startsWith('!('));
  // Only exclusions ("everything but docs/**") still match almost anything.
  if (positive.length === 0 && globs.length > 0) return [[GLOBSTAR]];
  return positive.map(toSegments);
}

/** Splits a glob into segments, normalizing `./`, `//`, `.` segments and a trailing `/`. */
function toSegments(glob: string): Segment[] {
  const parts = splitOutsideGroups(glob).filter((part) => part !== '' && part !== '.');
  // A trailing slash (or a glob that is only `./`) names a directory: everything under it.
  if (glob === '' || glob.endsWith('/') || parts.length === 0) parts.push('**');
  return parts.map(toSegment);
}

function toSegment(part: string): Segment {
  if (part === '**') return GLOBSTAR;
  // A brace or extglob group holding `/` may span several segments; `**` covers whatever it spans.
  if (part.includes('/')) return GLOBSTAR;
  if (picomatch.scan(part).isGlob || part.includes('\\')) return { kind: 'wildcard', pattern: part };
  return { kind: 'literal', text: part };
}

// Splits on `/` except inside `{…}`, `(…)` and `[…]`, so `{src/a,lib}` stays one piece.
function splitOutsideGroups(glob: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let at = 0; at < glob.length; at++) {
    const char = glob[at]!;
    if (char === '\\' && at + 1 < glob.length) {
      current += char + glob[at + 1];
      at++;
      continue;
    }
    if (char === '{' || char === '(' || char === '[') depth++;
    else if ((char === '}' || char === ')' || char === ']') && depth > 0) depth--;
    if (char === '/' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/**
 * Whether one path matches both segment lists: a search over pairs of positions (i, j), i.e. the
 * product of the two globs seen as automata, O(|x|·|y|).
 */
function segmentListsOverlap(x: readonly Segment[], y: readonly Segment[]): boolean {
  const seen = new Set<number>();
  const width = y.length + 1;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    if (seen.has(i * width + j)) continue;
    seen.add(i * width + j);
    if (i === x.length && j === y.length) return true;
    const s = x[i];
    const t = y[j];
    // `**` may match no segment at all.
    if (s?.kind === 'globstar') stack.push([i + 1, j]);
    if (t?.kind === 'globstar') stack.push([i, j + 1]);
    if (s === undefined || t === undefined) continue;
    // Consuming one path segment: a globstar stays where it is, any other segment moves on.
    if (s.kind === 'globstar' && t.kind !== 'globstar') stack.push([i, j + 1]);
    else if (t.kind === 'globstar' && s.kind !== 'globstar') stack.push([i + 1, j]);
    else if (s.kind !== 'globstar' && t.kind !== 'globstar' && segmentsOverlap(s, t))
      stack.push([i + 1, j + 1]);
  }
  return false;
}

function segmentsOverlap(
  s: Exclude<Segment, { kind: 'globstar' }>,
  t: Exclude<Segment, { kind: 'globstar' }>,
) {
  if (s.kind === 'literal' && t.kind === 'literal') return s.text === t.text;
  if (s.kind === 'literal' && t.kind === 'wildcard')
    return picomatch.isMatch(s.text, t.pattern, MATCH_OPTIONS);
  if (s.kind === 'wildcard' && t.kind === 'literal')
    return picomatch.isMatch(t.text, s.pattern, MATCH_OPTIONS);
  // Two wildcards (`*.ts` and `a*`) would need a pattern intersection; assume they meet.
  return true;
}
