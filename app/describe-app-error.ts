import { EnvironmentError, InputError } from '../core/errors/errors.ts';
import { requestStatus } from '../core/github/octokit-types.ts';
import { sanitizeText } from '../core/report/escape-markdown.ts';

/** What the person who gave a command is told about an error. */
export interface DescribedAppError {
  /** Markdown for the reply comment. */
  comment: string;
  /** True when the error is not the user's to fix: it is logged with its stack for the App's operator. */
  unexpected: boolean;
}

/**
 * The one place the App turns an error into what the user reads. Input and environment errors already name the
 * target and the fix (an InputError lists each problem); GitHub's refusals are told by HTTP status; anything else is
 * a short pointer to the App's logs with the delivery id, under which the error is logged.
 */
export function describeAppError(error: unknown, deliveryId: string): DescribedAppError {
  if (error instanceof InputError) return { comment: renderInputError(error), unexpected: false };
  if (error instanceof EnvironmentError) return { comment: sanitizeText(error.message), unexpected: false };
  const status = requestStatus(error);
  if (status === 403) {
    return {
      comment: `GitHub refused a request of claude-cluster (403): the App may lack a permission on this repository, or a rate limit was reached. An owner can accept the App’s requested permissions in the installation settings; then give the command again (delivery ${deliveryId}).`,
      unexpected: true,
    };
  }
  if (status !== undefined && status >= 500) {
    return {
      comment: `GitHub answered ${status} to claude-cluster; give the command again in a minute (delivery ${deliveryId}).`,
      unexpected: true,
    };
  }
  return {
    comment: `Something went wrong in claude-cluster; see the App’s logs (delivery ${deliveryId}).`,
    unexpected: true,
  };
}

function renderInputError(error: InputError): string {
  // The class builds its message as the headline followed by the problems; the problems are listed from their field.
  const headline = sanitizeText(error.message).split('\n', 1)[0] ?? '';
  const problems = error.problems.map((problem) => `- ${sanitizeText(problem).replace(/\n+/g, ' ')}`);
  return problems.length === 0 ? headline : `${headline}:\n\n${problems.join('\n')}`;
}
