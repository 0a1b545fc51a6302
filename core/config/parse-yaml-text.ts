import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';

/** How to read one user-written YAML text. */
export interface YamlTextOptions {
  /** Names the text at the start of each problem: "plan YAML", ".github/claude-cluster.yml". */
  label: string;
  /** Largest accepted size in bytes; bigger texts are refused before parsing. */
  maxBytes: number;
  /** The fix to suggest when the text is too big. */
  oversizeFix: string;
}

/** A parsed YAML text with its document kept for mapping paths back to lines, or the problems found. */
export type ParsedYamlText =
  | { ok: true; value: unknown; document: Document; lineCounter: LineCounter }
  | { ok: false; problems: string[] };

/**
 * Expanded aliases allowed in one text. A "billion laughs" text nests aliases to expand exponentially;
 * the yaml package refuses to expand past this count.
 */
export const MAX_ALIAS_COUNT = 50;

/** The key written at `offset`, quoted or plain, up to its `:`; empty when none can be read there. */
function keyAt(text: string, offset: number): string {
  const line = text.slice(offset).split('\n', 1)[0] ?? '';
  const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:,{}[\]]*?)\s*:/.exec(line);
  return match?.[1]?.trim() ?? '';
}

function describeYamlError(error: YAMLError, text: string): string {
  const token = text.slice(error.pos[0], error.pos[1]).trim();
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = keyAt(text, error.pos[0]);
      return `the key ${key ? `\`${key}\` ` : ''}appears twice in the same mapping; keep only one`;
    }
    case 'MULTIPLE_DOCS':
      return 'the text holds more than one YAML document (a second `---`); keep only one';
    case 'TAG_RESOLVE_FAILED':
      return `unknown tag ${token ? `\`${token.split(/\s/)[0]}\`` : ''}; remove it`;
    default:
      return error.message;
  }
}

/**
 * Parses YAML (and so JSON) text into plain data. Syntax errors, duplicate keys, unknown tags, alias bombs
 * and oversize texts become problems prefixed with `label` and, where known, the line and column:
 * "plan YAML line 4, column 7: …".
 */
export function parseYamlText(text: string, options: YamlTextOptions): ParsedYamlText {
  const { label, maxBytes } = options;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
    return {
      ok: false,
      problems: [`${label} is ${kib(bytes)}, more than the ${kib(maxBytes)} limit; ${options.oversizeFix}`],
    };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const errors = [...document.errors, ...document.warnings];
  if (errors.length > 0) {
    const problems = errors
      .map((error) => ({ at: lineCounter.linePos(error.pos[0]), error }))
      .sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col)
      .map(
        ({ at, error }) => `${label} line ${at.line}, column ${at.col}: ${describeYamlError(error, text)}`,
      );
    return { ok: false, problems };
  }
  try {
    const value: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { ok: true, value, document, lineCounter };
  } catch (error) {
    // The only error toJS raises on a well-formed document is the alias-expansion guard.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [
        `${label} expands its aliases (\`*name\`) more than ${MAX_ALIAS_COUNT} times (${reason}); write the values out instead of nesting aliases`,
      ],
    };
  }
}
