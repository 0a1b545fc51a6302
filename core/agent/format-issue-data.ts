import { sanitizeUntrustedText } from './sanitize-untrusted-text.ts';
import { wrapUntrustedText } from './wrap-untrusted-text.ts';

/**
 * The issue's title and body, sanitized and enclosed as data, for the prompts that give an agent the
 * issue as background.
 */
export function formatIssueData(issueTitle: string, issueBody: string | undefined): string {
  const title = oneLine(sanitizeUntrustedText(issueTitle)) || '(untitled)';
  const body = sanitizeUntrustedText(issueBody ?? '').trim() || '(the issue has no description)';
  return wrapUntrustedText(
    'the GitHub issue this run works on (its title, then its body)',
    `# ${title}\n\n${body}`,
  );
}

/** Collapses whitespace so a value fits on one line of a prompt. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
