import type { Endpoints } from '@octokit/types';
import { ApiFailure, json, notFound } from './api-response.ts';
import { type FakeCore, queryNumber, repoOf } from './fake-core.ts';
import type { FakeRepository } from './fake-state.ts';
import {
  countCommits,
  diffFiles,
  listCommits,
  listTree,
  mergeBase,
  objectType,
  readBlob,
  readCommit,
  resolveCommit,
  resolveRevision,
} from './git-store.ts';
import { defineRoute, type Route } from './match-route.ts';
import { paginate } from './paginate-list.ts';
import { commitJson, fileJson } from './shape-git.ts';

type ContentFile = Extract<
  Endpoints['GET /repos/{owner}/{repo}/contents/{path}']['response']['data'],
  { type: 'file'; content: string }
>;
type BranchJson = Pick<
  Endpoints['GET /repos/{owner}/{repo}/branches/{branch}']['response']['data'],
  'name' | 'commit' | '_links' | 'protected' | 'protection' | 'protection_url'
>;
type CompareJson = Endpoints['GET /repos/{owner}/{repo}/compare/{basehead}']['response']['data'];

/** A branch, tag or sha of the repository as a commit sha; 404 naming it when there is none. */
async function commitOf(repo: FakeRepository, name: string): Promise<string> {
  const sha = await resolveCommit(repo.bareDir, name.replace(/^[^:/]+:/, ''));
  if (!sha) throw new ApiFailure(404, `No commit found for SHA: ${name}`);
  return sha;
}

/** Base64 in lines of 60 characters, as the contents API sends it. */
function wrapBase64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join('');
}

function wantsRaw(accept: string | string[] | undefined): boolean {
  return /\.raw\b|vnd\.github\.raw/.test(String(accept ?? ''));
}

/** Branches, commits, comparisons and file contents, all read from the bare repository. */
export function repoContentRoutes(core: FakeCore): Route[] {
  return [
    defineRoute('GET', '/repos/{owner}/{repo}/branches/{branch+}', async ({ params }) => {
      const repo = repoOf(core, params);
      const sha = await resolveRevision(repo.bareDir, `refs/heads/${params.branch}^{commit}`);
      const commit = sha === undefined ? undefined : await readCommit(repo.bareDir, sha);
      if (!commit) throw new ApiFailure(404, 'Branch not found');
      const api = `${core.urls.api}/repos/${repo.fullName}/branches/${params.branch}`;
      const branch: BranchJson = {
        name: params.branch ?? '',
        commit: commitJson(repo, commit, core.urls),
        _links: { self: api, html: `${core.urls.web}/${repo.fullName}/tree/${params.branch}` },
        protected: false,
        // What GitHub answers for a branch without protection rules.
        protection: {
          enabled: false,
          required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
        },
        protection_url: `${api}/protection`,
      };
      return json(200, branch);
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/commits', async (request) => {
      const repo = repoOf(core, request.params);
      const tip = await commitOf(repo, request.query.get('sha') ?? repo.defaultBranch);
      const perPage = queryNumber(request.query, 'per_page', 30, 100);
      const page = queryNumber(request.query, 'page', 1);
      const path = request.query.get('path');
      // One page past the requested one tells paginate whether a next page exists, without listing all history.
      const commits = await listCommits(repo.bareDir, tip, {
        skip: 0,
        limit: perPage * (page + 1),
        ...(path === null ? {} : { path }),
      });
      return paginate(
        commits.map((commit) => commitJson(repo, commit, core.urls)),
        request,
        core.urls.api,
      );
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/commits/{ref+}', async ({ params }) => {
      const repo = repoOf(core, params);
      const sha = await commitOf(repo, params.ref ?? '');
      const commit = await readCommit(repo.bareDir, sha);
      if (!commit) throw notFound();
      const files = await diffFiles(
        repo.bareDir,
        commit.parents[0] ?? '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
        sha,
      );
      return json(
        200,
        commitJson(
          repo,
          commit,
          core.urls,
          files.map((file) => fileJson(repo, file, sha, core.urls)),
        ),
      );
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/compare/{basehead+}', async ({ params }) => {
      const repo = repoOf(core, params);
      const [baseName, headName] = (params.basehead ?? '').split('...');
      if (baseName === undefined || headName === undefined) throw notFound();
      const [base, head] = [await commitOf(repo, baseName), await commitOf(repo, headName)];
      const mergeBaseSha = await mergeBase(repo.bareDir, base, head);
      if (!mergeBaseSha) throw new ApiFailure(404, `No common ancestor between ${baseName} and ${headName}.`);
      const [aheadBy, behindBy] = [
        await countCommits(repo.bareDir, head, base),
        await countCommits(repo.bareDir, base, head),
      ];
      const status =
        aheadBy === 0 && behindBy === 0
          ? 'identical'
          : behindBy === 0
            ? 'ahead'
            : aheadBy === 0
              ? 'behind'
              : 'diverged';
      const commits = (
        await listCommits(repo.bareDir, head, { skip: 0, limit: 250, exclude: base })
      ).reverse();
      const [baseCommit, mergeBaseCommit] = [
        await readCommit(repo.bareDir, base),
        await readCommit(repo.bareDir, mergeBaseSha),
      ];
      if (!baseCommit || !mergeBaseCommit) throw notFound();
      const files = await diffFiles(repo.bareDir, mergeBaseSha, head);
      const web = `${core.urls.web}/${repo.fullName}/compare/${baseName}...${headName}`;
      const compare: CompareJson = {
        url: `${core.urls.api}/repos/${repo.fullName}/compare/${baseName}...${headName}`,
        html_url: web,
        permalink_url: `${core.urls.web}/${repo.fullName}/compare/${base}...${head}`,
        diff_url: `${web}.diff`,
        patch_url: `${web}.patch`,
        base_commit: commitJson(repo, baseCommit, core.urls),
        merge_base_commit: commitJson(repo, mergeBaseCommit, core.urls),
        status,
        ahead_by: aheadBy,
        behind_by: behindBy,
        total_commits: aheadBy,
        commits: commits.map((commit) => commitJson(repo, commit, core.urls)),
        files: files.map((file) => fileJson(repo, file, head, core.urls)),
      };
      return json(200, compare);
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/contents/{path+}', async ({ params, query, headers }) => {
      const repo = repoOf(core, params);
      const ref = query.get('ref') ?? repo.defaultBranch;
      const commit = await commitOf(repo, ref);
      const path = (params.path ?? '').replace(/^\/+|\/+$/g, '');
      const sha = await resolveRevision(repo.bareDir, `${commit}:${path}`);
      const type = sha === undefined ? undefined : await objectType(repo.bareDir, sha);
      if (sha === undefined || type === undefined) throw notFound();
      const api = `${core.urls.api}/repos/${repo.fullName}/contents`;
      const entryJson = (entryPath: string, entrySha: string, entryType: 'file' | 'dir', size: number) => ({
        type: entryType,
        size,
        name: entryPath.split('/').at(-1) ?? entryPath,
        path: entryPath,
        sha: entrySha,
        url: `${api}/${entryPath}?ref=${encodeURIComponent(ref)}`,
        git_url: `${core.urls.api}/repos/${repo.fullName}/git/${entryType === 'dir' ? 'trees' : 'blobs'}/${entrySha}`,
        html_url: `${core.urls.web}/${repo.fullName}/${entryType === 'dir' ? 'tree' : 'blob'}/${ref}/${entryPath}`,
        download_url:
          entryType === 'dir' ? null : `${core.urls.web}/${repo.fullName}/raw/${ref}/${entryPath}`,
        _links: {
          self: `${api}/${entryPath}?ref=${encodeURIComponent(ref)}`,
          git: `${core.urls.api}/repos/${repo.fullName}/git/${entryType === 'dir' ? 'trees' : 'blobs'}/${entrySha}`,
          html: `${core.urls.web}/${repo.fullName}/${entryType === 'dir' ? 'tree' : 'blob'}/${ref}/${entryPath}`,
        },
      });
      if (type === 'tree') {
        const entries = await listTree(repo.bareDir, sha, false);
        return json(
          200,
          entries.map((entry) =>
            entryJson(
              path === '' ? entry.path : `${path}/${entry.path}`,
              entry.sha,
              entry.type === 'tree' ? 'dir' : 'file',
              entry.size ?? 0,
            ),
          ),
        );
      }
      const bytes = await readBlob(repo.bareDir, sha);
      if (wantsRaw(headers.accept)) {
        return {
          status: 200,
          text: bytes.toString('utf8'),
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        };
      }
      const file: ContentFile = {
        ...entryJson(path, sha, 'file', bytes.length),
        type: 'file',
        encoding: 'base64',
        content: wrapBase64(bytes),
      };
      return json(200, file);
    }),
  ];
}
