import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushedRef } from './check-pushed-commits.ts';
import type { FakeRepository } from './fake-state.ts';
import { grants } from './token-permissions.ts';
import type { Identity, TokenIdentity, TokenRegistry } from './token-registry.ts';

/** The server-side hook run by the bare repositories' `pre-receive` and `post-receive`. */
const PUSH_HOOK = join(import.meta.dirname, 'git-push-hook.ts');

/** Who may push: installation and job tokens with `contents: write`, and users with write access or more. */
function mayPush(repo: FakeRepository, identity: Identity): boolean {
  if (identity.kind === 'installation' || identity.kind === 'job')
    return grants(identity.permissions, 'contents', 'write');
  if (identity.kind !== 'user') return false;
  if (identity.user.login.toLowerCase() === repo.owner.login.toLowerCase()) return true;
  const role = repo.collaborators.get(identity.user.login.toLowerCase()) ?? 'none';
  return role === 'admin' || role === 'maintain' || role === 'write';
}

/** Whether the pusher may change `.github/workflows/`: a GitHub App with `workflows: write`; never a job's token. */
export function mayChangeWorkflows(identity: TokenIdentity): boolean {
  if (identity.kind === 'user') return true;
  return identity.kind === 'installation' && grants(identity.permissions, 'workflows', 'write');
}

function refuse(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(`${message}\n`);
}

/**
 * Serves `/git/{owner}/{repo}.git/...` with git's smart HTTP protocol by running `git http-backend` as a CGI
 * script. Every request needs a token (basic auth, `x-access-token:<token>`) the fake issued; pushes need one that
 * may write (App and job tokens: `contents: write`). The repository's pre-receive hook refuses workflow-file changes
 * and large files (check-pushed-commits.ts); the updates its post-receive hook logs are announced through `pushed`. `REMOTE_USER` is set only for authenticated requests, which is what lets http-backend accept pushes.
 */
export function serveGitHttp(input: {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  root: string;
  tokens: TokenRegistry;
  findRepository(fullName: string): FakeRepository | undefined;
  /** The largest file a push may add, in bytes. */
  maxFileBytes: number;
  /** Announces the refs a push updated (after the pusher got its answer). */
  pushed(repo: FakeRepository, pusher: TokenIdentity, refs: PushedRef[]): Promise<void>;
}): Promise<void> {
  const { request, response, url } = input;
  const match = /^\/git\/([^/]+)\/([^/]+?)\.git(\/.*)$/.exec(url.pathname);
  const repo = match ? input.findRepository(`${match[1]}/${match[2]}`) : undefined;
  if (!match || !repo) {
    refuse(response, 404, 'Repository not found.');
    return Promise.resolve();
  }
  const identity = input.tokens.resolve(request.headers.authorization);
  if (identity.kind !== 'installation' && identity.kind !== 'job' && identity.kind !== 'user') {
    refuse(response, 401, 'Invalid username or token.', { 'www-authenticate': 'Basic realm="GitHub"' });
    return Promise.resolve();
  }
  const rest = match[3] ?? '/';
  const push = url.searchParams.get('service') === 'git-receive-pack' || rest === '/git-receive-pack';
  if (push && !mayPush(repo, identity)) {
    refuse(response, 403, `Permission to ${repo.fullName}.git denied to ${identity.user.login}.`);
    return Promise.resolve();
  }
  // An App's or a job's token without `contents: read` cannot see a private repository's code.
  if (
    repo.private &&
    (identity.kind === 'installation' || identity.kind === 'job') &&
    !grants(identity.permissions, 'contents', 'read')
  ) {
    refuse(response, 404, 'Repository not found.');
    return Promise.resolve();
  }
  const receive = rest === '/git-receive-pack';
  const pushLog = receive ? join(tmpdir(), `fake-github-push-${randomBytes(8).toString('hex')}.txt`) : '';
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: input.root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${repo.owner.login}/${repo.name}.git${rest}`,
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REQUEST_METHOD: request.method ?? 'GET',
    REMOTE_USER: identity.user.login,
    REMOTE_ADDR: '127.0.0.1',
    ...(header('content-type') === undefined ? {} : { CONTENT_TYPE: header('content-type') }),
    ...(header('content-length') === undefined ? {} : { CONTENT_LENGTH: header('content-length') }),
    ...(header('content-encoding') === undefined
      ? {}
      : { HTTP_CONTENT_ENCODING: header('content-encoding') }),
    ...(header('git-protocol') === undefined ? {} : { GIT_PROTOCOL: header('git-protocol') }),
    FAKE_GITHUB_HOOK: PUSH_HOOK,
    FAKE_GITHUB_NODE: process.execPath,
    FAKE_GITHUB_MAY_CHANGE_WORKFLOWS: mayChangeWorkflows(identity) ? '1' : '0',
    FAKE_GITHUB_MAX_FILE_BYTES: String(input.maxFileBytes),
    FAKE_GITHUB_PUSH_LOG: pushLog,
  };
  const announce = async () => {
    if (!receive) return;
    const text = await readFile(pushLog, 'utf8').catch(() => '');
    await rm(pushLog, { force: true });
    const refs = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line): PushedRef => {
        const [before = '', after = '', ref = ''] = line.trim().split(' ');
        return { before, after, ref };
      });
    if (refs.length > 0) await input.pushed(repo, identity, refs);
  };
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let head = Buffer.alloc(0);
    let headersSent = false;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      const end = /\r?\n\r?\n/.exec(text);
      if (!end) return;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of text.slice(0, end.index).split(/\r?\n/)) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number(value.split(' ')[0]) || 500;
        else if (name !== '') headers[name] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end.index + end[0].length));
    });
    child.on('error', (error) => {
      if (!headersSent) refuse(response, 500, `git http-backend could not start: ${error.message}`);
      resolve();
    });
    child.on('close', (code) => {
      if (!headersSent) refuse(response, 500, `git http-backend exited ${code}: ${stderr.trim()}`);
      else response.end();
      announce().then(resolve, reject);
    });
    child.stdin.on('error', () => {
      // http-backend may answer (e.g. with an error) before reading the whole request body.
    });
    request.pipe(child.stdin);
  });
}
