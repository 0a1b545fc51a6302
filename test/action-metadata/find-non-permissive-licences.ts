/**
 * Licences that let an MIT repository redistribute a package inside its bundle (keeping the notice, which
 * `dist/licenses.txt` does). Anything else, "SEE LICENSE IN …" (e.g. "All rights reserved"), UNLICENSED or a
 * package that states none, must not be bundled.
 */
export const PERMISSIVE_LICENCES = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Python-2.0',
  'Unlicense',
  'Zlib',
]);

/** One section heading of `licenses.txt`: `name@version (license: EXPRESSION)`. */
const HEADING = /^(\S+@\S+) \(license: (.*)\)$/gm;

/** The headings of every package in `licensesText` whose declared licence is not permissive, e.g. `x@1 (UNLICENSED)`. */
export function findNonPermissiveLicences(licensesText: string): string[] {
  const found: string[] = [];
  for (const [, pkg, expression] of licensesText.matchAll(HEADING)) {
    if (!isPermissive(expression ?? '')) found.push(`${pkg} (${expression})`);
  }
  return found;
}

/** The package headings of `licensesText`, to check that every bundled package was looked at. */
export function countLicenceHeadings(licensesText: string): number {
  return [...licensesText.matchAll(HEADING)].length;
}

/**
 * Evaluates an SPDX expression: `A OR B` is permissive when either is, `A AND B` when both are, `A WITH exception`
 * as `A` (an exception only adds permissions). Anything unparsable is not permissive.
 */
export function isPermissive(expression: string): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const parseTerm = (): boolean | undefined => {
    const token = tokens[at++];
    if (token === '(') {
      const inner = parseOr();
      return tokens[at++] === ')' ? inner : undefined;
    }
    if (token === undefined || token === ')' || /^(AND|OR|WITH)$/i.test(token)) return undefined;
    if (peek()?.toUpperCase() === 'WITH') at += 2;
    return PERMISSIVE_LICENCES.has(token.replace(/\+$/, ''));
  };
  const parseAnd = (): boolean | undefined => {
    let value = parseTerm();
    while (peek()?.toUpperCase() === 'AND') {
      at += 1;
      const right = parseTerm();
      value = value === undefined || right === undefined ? undefined : value && right;
    }
    return value;
  };
  const parseOr = (): boolean | undefined => {
    let value = parseAnd();
    while (peek()?.toUpperCase() === 'OR') {
      at += 1;
      const right = parseAnd();
      value = value === undefined || right === undefined ? undefined : value || right;
    }
    return value;
  };
  const result = parseOr();
  return at === tokens.length && result === true;
}
