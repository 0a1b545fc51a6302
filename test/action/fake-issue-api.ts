import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A comment the fake holds. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  html_url: string;
}

/** A commit of a branch the fake serves through `GET /repos/{o}/{r}/commits?sha=<branch>`, newest first. */
export interface FakeCommit {
  sha: string;
  message: string;
  parents: string[];
}

function listedCommit(commit: FakeCommit) {
  return {
    sha: commit.sha,
    commit: { message: commit.message, tree: { sha: 't'.repeat(40) } },
    parents: commit.parents.map((sha) => ({ sha })),
  };
}

/** One issue of the fake repository and its comments. */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  comments: FakeComment[];
}

/** The issue endpoints of the GitHub REST API, on loopback, for runs of the bundled action in a child process. */
export interface FakeIssueApi {
  /** Base URL for `GITHUB_API_URL`. */
  url: string;
  issues: Map<number, FakeIssue>;
  /** Every request, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `GET /repos/{o}/{r}/commits?sha=<branch>` for the given branches,
 * `GET /repos/{o}/{r}/issues/{n}`, `GET|POST /repos/{o}/{r}/issues/{n}/comments` and
 * `PATCH /repos/{o}/{r}/issues/comments/{id}` from memory, with response shapes of the real API for the fields the
 * action reads. Anything else answers 404 and is recorded.
 */
export async function startFakeIssueApi(
  issues: Omit<FakeIssue, 'comments'>[],
  options: { branches?: Record<string, FakeCommit[]> } = {},
): Promise<FakeIssueApi> {
  const branches = new Map(Object.entries(options.branches ?? {}));
  const state = new Map(issues.map((issue) => [issue.number, { ...issue, comments: [] as FakeComment[] }]));
  const requests: string[] = [];
  let nextId = 1000;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const path = url.pathname;
    requests.push(`${request.method} ${path}`);
    const body = await readBody(request);
    const issueMatch = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(path);
    const commentsMatch = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
    const commentMatch = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
    if (/^\/repos\/[^/]+\/[^/]+\/commits$/.test(path) && request.method === 'GET') {
      const commits = branches.get(url.searchParams.get('sha') ?? '');
      if (!commits) return send(response, 404, { message: 'Not Found' });
      // One page holds every commit the fake knows: later pages are empty.
      const page = Number(url.searchParams.get('page') ?? '1');
      return send(response, 200, page > 1 ? [] : commits.map(listedCommit));
    }
    if (issueMatch && request.method === 'GET') {
      const issue = state.get(Number(issueMatch[1]));
      if (!issue) return send(response, 404, { message: 'Not Found' });
      return send(response, 200, {
        number: issue.number,
        title: issue.title,
        body: issue.body,
        state: 'open',
        labels: [],
        user: { login: 'octocat', type: 'User' },
        html_url: `https://github.com/octo/widgets/issues/${issue.number}`,
      });
    }
    if (commentsMatch) {
      const issue = state.get(Number(commentsMatch[1]));
      if (!issue) return send(response, 404, { message: 'Not Found' });
      if (request.method === 'GET') return send(response, 200, issue.comments);
      if (request.method === 'POST') {
        const comment: FakeComment = {
          id: nextId++,
          body: String((body as { body?: unknown }).body ?? ''),
          user: { login: 'github-actions[bot]', type: 'Bot' },
          html_url: `https://github.com/octo/widgets/issues/${issue.number}#issuecomment-${nextId}`,
        };
        issue.comments.push(comment);
        return send(response, 201, comment);
      }
    }
    if (commentMatch && request.method === 'PATCH') {
      const comment = [...state.values()]
        .flatMap((issue) => issue.comments)
        .find((c) => c.id === Number(commentMatch[1]));
      if (!comment) return send(response, 404, { message: 'Not Found' });
      comment.body = String((body as { body?: unknown }).body ?? '');
      return send(response, 200, comment);
    }
    return send(response, 404, { message: `the fake does not serve ${request.method} ${path}` });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    issues: state,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
