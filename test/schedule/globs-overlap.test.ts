import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globsOverlap } from '../../core/schedule/globs-overlap.ts';

const LITERALS = ['a', 'b', 'c', 'a.ts', 'b.md', '.env'];
const WILDCARDS = ['*', '?', 'a*', '*.ts', '{a,b}', '[ab]', '**'];

const literalPath = fc
  .array(fc.constantFrom(...LITERALS), { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('/'));
const glob = fc
  .tuple(
    fc.array(fc.constantFrom(...LITERALS, ...WILDCARDS), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', './'),
    fc.constantFrom('', '/'),
  )
  .map(([segments, prefix, suffix]) => `${prefix}${segments.join('/')}${suffix}`);
const globList = fc.array(glob, { maxLength: 3 });

// Every path of up to three segments drawn from LITERALS.
const SMALL_PATHS = [1, 2, 3].flatMap(function paths(length: number): string[] {
  return length === 1
    ? LITERALS
    : paths(length - 1).flatMap((head) => LITERALS.map((tail) => `${head}/${tail}`));
});

const matchers = new Map<string, (path: string) => boolean>();

// The documented meaning of a glob, in picomatch terms: `./` ignored, a trailing `/` covers the directory,
// and `x/**` covers `x` itself (picomatch agrees for `a/**` but not for `*/**`).
function matches(path: string, pattern: string): boolean {
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    const normalized = pattern.replace(/^\.\//, '').replace(/\/$/, '/**');
    const patterns = [normalized];
    while (patterns.at(-1)!.endsWith('/**')) patterns.push(patterns.at(-1)!.slice(0, -3));
    matcher = picomatch(patterns, { dot: true });
    matchers.set(pattern, matcher);
  }
  return matcher(path);
}

describe('globsOverlap', () => {
  describe('with literal paths', () => {
    it('reports the same file as overlapping', () => {
      expect(globsOverlap(['src/api/users.ts'], ['src/api/users.ts'])).toBe(true);
    });

    it('reports different files as apart', () => {
      expect(globsOverlap(['src/api/users.ts'], ['src/api/orders.ts'])).toBe(false);
    });
  });

  describe('with directories', () => {
    it('treats a trailing slash as everything under the directory', () => {
      expect(globsOverlap(['src/api/'], ['src/api/v1/users.ts'])).toBe(true);
      expect(globsOverlap(['src/api/'], ['src/apiary.ts'])).toBe(false);
    });

    it('ignores a leading ./', () => {
      expect(globsOverlap(['./src/**'], ['src/a.ts'])).toBe(true);
      expect(globsOverlap(['./'], ['docs/readme.md'])).toBe(true);
    });
  });

  describe('with wildcards', () => {
    it('lets ** match any number of segments, none included', () => {
      expect(globsOverlap(['src/**/index.ts'], ['src/index.ts'])).toBe(true);
      expect(globsOverlap(['**/index.ts'], ['lib/deep/nested/index.ts'])).toBe(true);
    });

    it('lets * match within one segment only', () => {
      expect(globsOverlap(['src/*.ts'], ['src/a/b.ts'])).toBe(false);
      expect(globsOverlap(['src/*.ts'], ['src/b.ts'])).toBe(true);
    });

    it('keeps different top-level directories apart', () => {
      expect(globsOverlap(['src/**/*.ts'], ['docs/**'])).toBe(false);
    });

    it('matches braces against literal segments', () => {
      expect(globsOverlap(['src/{api,db}/**'], ['src/db/schema.ts'])).toBe(true);
      expect(globsOverlap(['src/{api,db}/**'], ['src/web/page.ts'])).toBe(false);
    });

    it('assumes two wildcard segments meet, erring towards keeping tasks apart', () => {
      expect(globsOverlap(['*.md'], ['*.ts'])).toBe(true);
    });

    it('treats a brace group spanning segments as any number of segments', () => {
      expect(globsOverlap(['{src/api,lib}/x.ts'], ['src/api/x.ts'])).toBe(true);
    });
  });

  describe('with empty lists', () => {
    it('never reports a task that names no files as overlapping', () => {
      expect(globsOverlap([], ['**'])).toBe(false);
      expect(globsOverlap(['**'], [])).toBe(false);
      expect(globsOverlap([], [])).toBe(false);
    });
  });

  describe('with negated globs', () => {
    it('ignores exclusions beside positive globs', () => {
      expect(globsOverlap(['src/**', '!src/api/**'], ['docs/x.md'])).toBe(false);
    });

    it('treats a list of exclusions only as matching almost anything', () => {
      expect(globsOverlap(['!docs/**'], ['src/a.ts'])).toBe(true);
    });
  });

  describe('as a property', () => {
    it('is symmetric', () => {
      fc.assert(fc.property(globList, globList, (a, b) => globsOverlap(a, b) === globsOverlap(b, a)));
    });

    it('never misses a path that both sides match', () => {
      fc.assert(
        fc.property(glob, glob, (a, b) => {
          const shared = SMALL_PATHS.find((path) => matches(path, a) && matches(path, b));
          return shared === undefined || globsOverlap([a], [b]);
        }),
      );
    });

    it('is exact when one side is a literal path', () => {
      fc.assert(
        fc.property(
          literalPath,
          glob,
          (path, pattern) => globsOverlap([path], [pattern]) === matches(path, pattern),
        ),
      );
    });

    it('reports every non-empty list as overlapping itself', () => {
      fc.assert(fc.property(globList, (a) => globsOverlap(a, a) === a.length > 0));
    });

    it('only gains overlaps when a list grows', () => {
      fc.assert(
        fc.property(
          globList,
          globList,
          globList,
          (a, b, extra) => !globsOverlap(a, b) || globsOverlap([...a, ...extra], b),
        ),
      );
    });
  });
});
