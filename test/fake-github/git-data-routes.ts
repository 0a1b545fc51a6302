import { z } from 'zod';
import { ApiFailure, json, notFound, parseBody } from './api-response.ts';
import { type PushedRef, pushRefusals, ZERO_SHA } from './check-pushed-commits.ts';
import { actorOf, type FakeCore, repoOf } from './fake-core.ts';
import type { FakeRepository } from './fake-state.ts';
import {
  deleteRef,
  isAncestor,
  isSha,
  listRefs,
  listTree,
  objectType,
  readCommit,
  resolveRevision,
  updateRef,
  writeCommit,
} from './git-store.ts';
import { defineRoute, type Route } from './match-route.ts';
import { mayChangeWorkflows } from './serve-git-http.ts';
import { gitCommitJson, refJson, treeJson } from './shape-git.ts';
import type { Identity, TokenIdentity } from './token-registry.ts';

const CreateRefBody = z.object({ ref: z.string(), sha: z.string() });
const UpdateRefBody = z.object({ sha: z.string(), force: z.boolean().optional() });
const Person = z.object({ name: z.string(), email: z.string(), date: z.string().optional() });
const CreateCommitBody = z.object({
  message: z.string(),
  tree: z.string(),
  parents: z.array(z.string()).optional(),
  author: Person.optional(),
  committer: Person.optional(),
});

/** `heads/main` (or `refs/heads/main`) as a full ref name. */
function fullRef(ref: string | undefined): string {
  const name = (ref ?? '').replace(/^refs\//, '');
  return `refs/${name}`;
}

async function currentRef(repo: FakeRepository, ref: string) {
  return (await listRefs(repo.bareDir, ref)).find((entry) => entry.ref === ref);
}

async function assertCommitExists(repo: FakeRepository, sha: string): Promise<void> {
  if (!isSha(sha) || (await objectType(repo.bareDir, sha)) === undefined) {
    throw new ApiFailure(422, 'Object does not exist');
  }
}

/**
 * Moves a branch only forward: the check and the move happen against the same old value (`update-ref` with the
 * expected sha), so a push racing this request makes it re-check rather than lose the pushed commits. Returns the
 * value it moved from (the new value when it was already there), or undefined when the move is not a fast forward.
 */
async function fastForward(repo: FakeRepository, ref: string, sha: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await currentRef(repo, ref);
    if (!current) throw new ApiFailure(422, 'Reference does not exist');
    if (current.sha === sha) return sha;
    if (!(await isAncestor(repo.bareDir, current.sha, sha))) return undefined;
    if (await updateRef(repo.bareDir, ref, sha, current.sha)) return current.sha;
  }
  throw new ApiFailure(409, 'Reference update failed: the reference kept moving; retry');
}

/** The token identity behind a request that passed `actorOf`. */
function pusherOf(identity: Identity): TokenIdentity {
  actorOf(identity);
  return identity as TokenIdentity;
}

/**
 * Refuses (422, GitHub's message) a ref update that would add commits a push could not: a change under
 * `.github/workflows/` by a token without the `workflows` permission, or a file over the size limit.
 */
async function assertMayUpdate(
  core: FakeCore,
  repo: FakeRepository,
  pusher: TokenIdentity,
  refs: PushedRef[],
) {
  const refusals = await pushRefusals(repo.bareDir, refs, {
    mayChangeWorkflows: mayChangeWorkflows(pusher),
    maxFileBytes: core.maxFileBytes,
  });
  if (refusals.length > 0) throw new ApiFailure(422, refusals.join('\n'));
}

/** Git database API (refs, commits, trees), read from and written to the bare repository. */
export function gitDataRoutes(core: FakeCore): Route[] {
  return [
    defineRoute('GET', '/repos/{owner}/{repo}/git/ref/{ref+}', async ({ params }) => {
      const repo = repoOf(core, params);
      const ref = fullRef(params.ref);
      const found = await currentRef(repo, ref);
      if (!found) throw notFound();
      return json(200, refJson(repo, found.ref, found.sha, found.type, core.urls));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref+}', async ({ params }) => {
      const repo = repoOf(core, params);
      const refs = await listRefs(repo.bareDir, fullRef(params.ref));
      return json(
        200,
        refs.map((entry) => refJson(repo, entry.ref, entry.sha, entry.type, core.urls)),
      );
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/git/refs', async ({ params, body, identity }) => {
      const repo = repoOf(core, params);
      const pusher = pusherOf(identity);
      const input = parseBody(CreateRefBody, body);
      if (!input.ref.startsWith('refs/') || input.ref.split('/').length < 3) {
        throw new ApiFailure(422, "Reference name must start with 'refs/' and have at least two slashes.");
      }
      await assertCommitExists(repo, input.sha);
      const update = { ref: input.ref, before: ZERO_SHA, after: input.sha };
      await assertMayUpdate(core, repo, pusher, [update]);
      if (await updateRef(repo.bareDir, input.ref, input.sha, '')) {
        await core.refUpdated({ repo, pusher: pusher.user, ...update });
        const type = (await objectType(repo.bareDir, input.sha)) ?? 'commit';
        return json(201, refJson(repo, input.ref, input.sha, type, core.urls), {
          location: `${core.urls.api}/repos/${repo.fullName}/git/${input.ref}`,
        });
      }
      if (await currentRef(repo, input.ref)) throw new ApiFailure(422, 'Reference already exists');
      // git refuses `a/b` beside an existing `a` (and the reverse); GitHub answers 422 as well.
      throw new ApiFailure(
        422,
        `Reference cannot be created: ${input.ref} collides with an existing reference`,
      );
    }),
    defineRoute('PATCH', '/repos/{owner}/{repo}/git/refs/{ref+}', async ({ params, body, identity }) => {
      const repo = repoOf(core, params);
      const pusher = pusherOf(identity);
      const ref = fullRef(params.ref);
      const input = parseBody(UpdateRefBody, body);
      const current = await currentRef(repo, ref);
      if (!current) throw new ApiFailure(422, 'Reference does not exist');
      await assertCommitExists(repo, input.sha);
      await assertMayUpdate(core, repo, pusher, [{ ref, before: current.sha, after: input.sha }]);
      // The old value the ref really moved from (a racing push may have moved it since it was read above).
      let before = current.sha;
      if (input.force === true) {
        before = (await currentRef(repo, ref))?.sha ?? current.sha;
        await updateRef(repo.bareDir, ref, input.sha);
      } else {
        const moved = await fastForward(repo, ref, input.sha);
        if (!moved) throw new ApiFailure(422, 'Update is not a fast forward');
        before = moved;
      }
      if (before !== input.sha)
        await core.refUpdated({ repo, pusher: pusher.user, ref, before, after: input.sha });
      const type = (await objectType(repo.bareDir, input.sha)) ?? 'commit';
      return json(200, refJson(repo, ref, input.sha, type, core.urls));
    }),
    defineRoute('DELETE', '/repos/{owner}/{repo}/git/refs/{ref+}', async ({ params, identity }) => {
      const repo = repoOf(core, params);
      const pusher = pusherOf(identity);
      const ref = fullRef(params.ref);
      const current = await currentRef(repo, ref);
      if (!current || !(await deleteRef(repo.bareDir, ref, current.sha))) {
        throw new ApiFailure(422, 'Reference does not exist');
      }
      await core.refUpdated({ repo, pusher: pusher.user, ref, before: current.sha, after: ZERO_SHA });
      return { status: 204 };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/git/commits/{commit_sha}', async ({ params }) => {
      const repo = repoOf(core, params);
      const commit = isSha(params.commit_sha ?? '')
        ? await readCommit(repo.bareDir, params.commit_sha ?? '')
        : undefined;
      if (!commit) throw notFound();
      return json(200, gitCommitJson(repo, commit, core.urls));
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/git/commits', async ({ params, body, identity }) => {
      const repo = repoOf(core, params);
      actorOf(identity);
      const input = parseBody(CreateCommitBody, body);
      if (!isSha(input.tree) || (await objectType(repo.bareDir, input.tree)) !== 'tree') {
        throw new ApiFailure(422, 'Tree SHA does not exist');
      }
      for (const parent of input.parents ?? []) {
        if (!isSha(parent) || (await objectType(repo.bareDir, parent)) !== 'commit') {
          throw new ApiFailure(422, 'Parent SHA does not exist or is not a commit object');
        }
      }
      const sha = await writeCommit(repo.bareDir, {
        tree: input.tree,
        parents: input.parents ?? [],
        message: input.message,
        ...(input.author === undefined ? {} : { author: input.author }),
        ...(input.committer === undefined ? {} : { committer: input.committer }),
      });
      const commit = await readCommit(repo.bareDir, sha);
      if (!commit) throw new ApiFailure(500, `the commit ${sha} just written cannot be read back`);
      return json(201, gitCommitJson(repo, commit, core.urls));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha+}', async ({ params, query }) => {
      const repo = repoOf(core, params);
      const sha = await resolveRevision(repo.bareDir, `${params.tree_sha}^{tree}`);
      if (!sha) throw notFound();
      const recursive = query.has('recursive') && !['0', 'false'].includes(query.get('recursive') ?? '');
      return json(200, treeJson(repo, sha, await listTree(repo.bareDir, sha, recursive), core.urls));
    }),
  ];
}
