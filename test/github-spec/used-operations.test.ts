import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findRestCalls, findRestCallsIn } from './find-rest-calls.ts';
import { LIBRARY_OPERATIONS, USED_OPERATIONS, USED_WEBHOOKS } from './used-operations.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function readSubset(name: string): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
}

describe('the committed subset of GitHub’s published descriptions', () => {
  it('holds every REST operation the App, the action, the engine and the CLI call', async () => {
    const calls = await findRestCallsIn(ROOT, ['core', 'app', 'action', 'cli']);
    expect(calls.length).toBeGreaterThan(20);
    const missing = calls.filter((call) => !(call.operation in USED_OPERATIONS));
    expect(missing, 'add these to test/github-spec/used-operations.ts and run `npm run github-spec`').toEqual(
      [],
    );
  });

  it('lists no operation that neither the code nor a library it uses calls', async () => {
    const called = new Set(
      (await findRestCallsIn(ROOT, ['core', 'app', 'action', 'cli'])).map((c) => c.operation),
    );
    const unused = Object.keys(USED_OPERATIONS).filter(
      (operation) => !called.has(operation) && !LIBRARY_OPERATIONS.includes(operation as never),
    );
    expect(unused).toEqual([]);
  });

  it('is what `npm run github-spec` writes from the list: exactly its operations and webhooks', () => {
    const api = readSubset('api-subset.json');
    const operations = Object.entries(api.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(Object.keys(USED_OPERATIONS).sort());
    const webhooks = readSubset('webhooks-subset.json');
    const events = Object.values(webhooks.webhooks ?? {}).map((item) =>
      String((item as { post: { operationId: string } }).post.operationId),
    );
    expect(events.sort()).toEqual(
      USED_WEBHOOKS.map((hook) => hook.replaceAll('_', '-').replace('.', '/')).sort(),
    );
  });

  it('finds calls through Octokit’s methods (also split over lines) and route strings, not in comments', () => {
    const source = [
      '// GET /repos/{owner}/{repo}/hooks is only prose',
      'await octokit.rest.repos.createFork({ owner, repo });',
      'await context.octokit.rest.git',
      '  .deleteRef({ owner, repo, ref });',
      "const route = 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge';",
      'octokit.rest.repos.noSuchMethod();',
    ].join('\n');
    expect(findRestCalls(source).sort()).toEqual([
      'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
      'POST /repos/{owner}/{repo}/forks',
      'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
      'unknown rest.repos.noSuchMethod',
    ]);
  });
});
