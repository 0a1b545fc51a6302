/**
 * Which Node versions claude-cluster runs on. This file is loaded by the executable before anything else, on
 * whatever Node the user has, so it imports nothing and uses only syntax every Node since 12 parses (no `??`, `?.`,
 * class fields or top-level await).
 */

/** The `engines.node` range of package.json (a test keeps the two equal). */
export const SUPPORTED_NODE_RANGE = '^22.12.0 || >=24';

/** The same range as a sentence. */
const SUPPORTED_NODE_TEXT = 'Node 22.12 or newer on the 22 line, or Node 24 or newer';

/** True when `version` (`process.versions.node`, e.g. `22.12.0`) is in the supported range. */
export function isSupportedNode(version: string): boolean {
  const parts = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (parts === null) return false;
  const major = Number(parts[1]);
  const minor = Number(parts[2]);
  // 22.12 is the first 22 release commander (the CLI's parser) supports; 23 is no longer maintained.
  return (major === 22 && minor >= 12) || major >= 24;
}

/**
 * The one-line refusal when `version` is not supported, naming the Node found and the one needed; undefined when
 * it is supported. `executable` is where that Node lives (`process.execPath`), so the user sees which one ran.
 */
export function nodeVersionProblem(version: string, executable: string): string | undefined {
  if (isSupportedNode(version)) return undefined;
  return (
    'claude-cluster: this is Node ' +
    version +
    ' (' +
    executable +
    '); claude-cluster needs ' +
    SUPPORTED_NODE_TEXT +
    ' (' +
    SUPPORTED_NODE_RANGE +
    '): install a supported Node and run it again'
  );
}
