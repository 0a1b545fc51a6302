import { z } from 'zod';
import { describeZodIssues } from '../config/describe-zod-issue.ts';
import { EnvironmentError, InputError } from '../errors/errors.ts';
import { type Octokit, requestStatus } from './octokit-types.ts';

/** The fields of GitHub's issue response that the engine relies on; everything else is dropped. */
export const IssueResponseSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  /** GitHub sends null for an issue without a description. */
  body: z.string().nullish(),
  /** Labels arrive as objects; the API also accepts (and old payloads hold) plain names. */
  labels: z.array(z.union([z.string(), z.object({ name: z.string().nullish() })])).default([]),
  /** null when the author's account was deleted (shown as "ghost"). */
  user: z.object({ login: z.string(), type: z.string() }).nullable(),
  state: z.enum(['open', 'closed']),
  html_url: z.string(),
  /** Present when the "issue" is a pull request. */
  pull_request: z.object({}).loose().nullish(),
});

/** An issue as the engine uses it. */
export interface IssueDetails {
  number: number;
  title: string;
  /** The current body ('' when it has none), not the one in the triggering event, which may be stale. */
  body: string;
  /** Label names. */
  labels: string[];
  /** Login and account type (`User`, `Bot`, `Organization`) of the author; undefined for a deleted account. */
  author: { login: string; type: string } | undefined;
  state: 'open' | 'closed';
  url: string;
  /** The number belongs to a pull request (GitHub serves pull requests through the issues API too). */
  isPullRequest: boolean;
}

/** Which issue to read. */
export interface IssueRef {
  owner: string;
  repo: string;
  issueNumber: number;
}

/**
 * Fetches an issue's title, body, labels and author through the API and checks the fields relied on. Throws an
 * InputError when the issue does not exist (404, or 410 for a deleted issue or disabled issues), an
 * EnvironmentError when the token may not read it (401, 403), and an InputError when the response lacks a field.
 */
export async function readIssue(octokit: Octokit, ref: IssueRef): Promise<IssueDetails> {
  const target = `issue #${ref.issueNumber} of ${ref.owner}/${ref.repo}`;
  let data: unknown;
  try {
    ({ data } = await octokit.rest.issues.get({
      owner: ref.owner,
      repo: ref.repo,
      issue_number: ref.issueNumber,
    }));
  } catch (error) {
    const status = requestStatus(error);
    if (status === 404 || status === 410) {
      throw new InputError(`${target} was not found (HTTP ${status})`, [
        'check the `issue-number` input (or the event) and that issues are enabled in the repository',
      ]);
    }
    if (status === 401 || status === 403) {
      throw new EnvironmentError(
        `the GitHub token may not read ${target} (HTTP ${status}); give the workflow \`issues: read\` permission or pass a \`github-token\` that can read issues`,
      );
    }
    throw error;
  }
  const parsed = IssueResponseSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const problems = describeZodIssues(parsed.error.issues, IssueResponseSchema, 'the issue');
    throw new InputError(
      `GitHub's answer for ${target} lacks fields claude-cluster needs`,
      problems.map((problem) => problem.message),
    );
  }
  const issue = parsed.data;
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    labels: issue.labels.flatMap((label) => {
      const name = typeof label === 'string' ? label : label.name;
      return name ? [name] : [];
    }),
    author: issue.user ?? undefined,
    state: issue.state,
    url: issue.html_url,
    isPullRequest: issue.pull_request != null,
  };
}
