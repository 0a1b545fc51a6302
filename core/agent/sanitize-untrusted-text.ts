import { stripHiddenMarkup } from './strip-hidden-markup.ts';

/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Characters that render as nothing or reorder text: format characters (zero-width spaces and joiners,
 * bidi controls, soft hyphens, tag characters) and Unicode's other default-ignorables (variation
 * selectors, Hangul fillers).
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** Token shapes of well-known providers; each is replaced whole, even when glued to a word or another token. */
const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /gh[pousr]_[A-Za-z0-9_]{20,}/g,
  /github_pat_[A-Za-z0-9_]{20,}/g,
  /sk-ant-[A-Za-z0-9_-]{10,}/g,
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /xox[abprs]-[A-Za-z0-9-]{10,}/g,
  /glpat-[A-Za-z0-9_-]{20,}/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];
/** `token=…`, `api_key: "…"`, `password=…`: the value is redacted when it looks generated. */
const SECRET_ASSIGNMENT =
  /\b([A-Za-z0-9_.-]*(?:token|key|secret|password|passwd|credential)s?["']?)(\s*[=:]\s*["']?)([A-Za-z0-9+/_.=-]{16,})/gi;

/**
 * Makes untrusted text (an issue title or body, a comment) safe to show an agent as data: strips what a
 * reader of the rendered page would not see (HTML comments, invisible and bidi control characters,
 * hidden HTML elements and attributes, image alt texts; `<details>` keeps its text) and redacts
 * token-shaped secrets. Code blocks keep their content. The result still needs clear delimiters
 * (`wrapUntrustedText`): sanitizing removes hiding places, not instructions.
 */
export function sanitizeUntrustedText(text: string): string {
  let current = text;
  // Removing one construct can join the pieces of another (`<!<!---->--`), so repeat until nothing changes.
  for (let round = 0; round < 5; round++) {
    const next = sanitizeOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function sanitizeOnce(text: string): string {
  const visible = stripInvisibleCharacters(text.replace(/\r\n?|[\u2028\u2029]/g, '\n'));
  // Comments go before code fences are found: a comment can hide a fence, and what it hides is hidden.
  const withoutComments = visible.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  return redactSecrets(stripHiddenMarkup(withoutComments));
}

/**
 * Removes characters that render as nothing or reorder text (zero-width, bidi controls, tag characters,
 * variation selectors) and control characters other than tab and newline. Visible text is unchanged.
 */
export function stripInvisibleCharacters(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(/\p{Cc}/gu, (char) => (char === '\n' || char === '\t' ? char : ''));
}

/** Replaces token-shaped secrets (GitHub, Anthropic, OpenAI, AWS, Slack, GitLab, Google, JWT, keys). */
export function redactSecrets(text: string): string {
  let result = text;
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
  return result.replace(SECRET_ASSIGNMENT, (all, name: string, separator: string, value: string) =>
    looksGenerated(value) ? `${name}${separator}${REDACTED}` : all,
  );
}

/** Generated secrets mix letters and digits, or are long hex; identifiers like `created_at_timestamp` do not. */
function looksGenerated(value: string): boolean {
  return (/[0-9]/.test(value) && /[A-Za-z]/.test(value)) || /^[0-9a-f]{32,}$/i.test(value);
}
