/**
 * C0 and C1 control characters and DEL (Unicode category Cc). Git refuses NUL in commit messages, terminals act on
 * escapes, and none of them belongs in a title, a prompt or a file glob.
 */
const CONTROL = /\p{Cc}/u;
/** The same, allowing tab, line feed and carriage return, for text that may span lines. */
const CONTROL_IN_MULTI_LINE = /(?![\t\n\r])\p{Cc}/u;

/**
 * The problem with a control character in `value`, naming `field`, the character (as `U+0000`), where it is and the
 * fix; undefined when there is none. Tab and newlines are allowed where `multiLine` is set.
 */
export function controlCharacterProblem(
  field: string,
  value: string,
  { multiLine = false }: { multiLine?: boolean } = {},
): string | undefined {
  const match = (multiLine ? CONTROL_IN_MULTI_LINE : CONTROL).exec(value);
  if (match === null) return undefined;
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  const allowed = multiLine ? ' (tab and newlines are fine)' : '';
  return `${field} contains the control character U+${code} at character ${match.index + 1}; remove it${allowed}`;
}

/** `text` with every control character shown as `\u{…}`, so a message quoting it prints what was really given. */
export function showControlCharacters(text: string): string {
  return text.replace(/\p{Cc}/gu, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}
