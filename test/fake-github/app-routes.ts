import type { Endpoints } from '@octokit/types';
import { z } from 'zod';
import { ApiFailure, json, notFound, parseBody } from './api-response.ts';
import { actorOf, type FakeCore, repoOf } from './fake-core.ts';
import type { FakeCheckRun, FakeRepository, FakeUser } from './fake-state.ts';
import { resolveCommit } from './git-store.ts';
import { defineRoute, type Route } from './match-route.ts';
import { userJson } from './shape-user.ts';
import { narrowPermissions } from './token-permissions.ts';
import type { Identity } from './token-registry.ts';

type AppJson = NonNullable<Endpoints['GET /app']['response']['data']>;
type InstallationJson = Endpoints['GET /app/installations/{installation_id}']['response']['data'];
type TokenJson = Endpoints['POST /app/installations/{installation_id}/access_tokens']['response']['data'];
type CheckRunJson = Endpoints['GET /repos/{owner}/{repo}/check-runs/{check_run_id}']['response']['data'];

const TokenRequestBody = z
  .object({ permissions: z.record(z.string(), z.string()).optional() })
  .loose()
  .optional();

/** The App object. */
export function appJson(core: FakeCore, owner: FakeRepository['owner']): AppJson {
  return {
    id: core.app.id,
    slug: core.app.slug,
    client_id: `Iv1.${core.app.id}`,
    node_id: `A_${core.app.id}`,
    owner: userJson(owner, core.urls),
    name: core.app.slug,
    description: 'The App under test',
    external_url: core.urls.api,
    html_url: `${core.urls.web}/apps/${core.app.slug}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    permissions: core.app.permissions as AppJson['permissions'],
    events: core.app.events,
  };
}

function installationJson(core: FakeCore): InstallationJson {
  const account = [...core.state.repositories.values()][0]?.owner ?? core.state.user('octo', 'Organization');
  return {
    id: core.app.installationId,
    account: userJson(account, core.urls),
    repository_selection: 'all',
    access_tokens_url: `${core.urls.api}/app/installations/${core.app.installationId}/access_tokens`,
    repositories_url: `${core.urls.api}/installation/repositories`,
    html_url: `${core.urls.web}/settings/installations/${core.app.installationId}`,
    app_id: core.app.id,
    app_slug: core.app.slug,
    target_id: account.id,
    target_type: account.type,
    permissions: core.app.permissions as InstallationJson['permissions'],
    events: core.app.events,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    single_file_name: null,
    suspended_at: null,
    suspended_by: null,
  };
}

function checkRunJson(core: FakeCore, repo: FakeRepository, check: FakeCheckRun): CheckRunJson {
  const api = `${core.urls.api}/repos/${repo.fullName}/check-runs/${check.id}`;
  return {
    id: check.id,
    head_sha: check.headSha,
    node_id: `CR_${check.id}`,
    external_id: check.externalId,
    url: api,
    html_url: `${core.urls.web}/${repo.fullName}/runs/${check.id}`,
    details_url: check.detailsUrl,
    status: check.status,
    conclusion: check.conclusion as CheckRunJson['conclusion'],
    started_at: check.startedAt,
    completed_at: check.completedAt,
    output: { ...check.output, annotations_count: 0, annotations_url: `${api}/annotations` },
    name: check.name,
    check_suite: { id: check.id + 1 },
    app: appJson(core, repo.owner),
    pull_requests: [],
  };
}

const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
] as const;
const CheckRunBody = z.object({
  name: z.string().min(1).optional(),
  head_sha: z.string().optional(),
  details_url: z.string().optional(),
  external_id: z.string().optional(),
  status: z.enum(['queued', 'in_progress', 'completed']).optional(),
  conclusion: z.enum(CONCLUSIONS).optional(),
  started_at: z.string().optional(),
  completed_at: z.string().optional(),
  output: z
    .object({
      title: z.string().max(1000),
      summary: z.string().max(65_535),
      text: z.string().max(65_535).optional(),
    })
    .optional(),
});

function applyCheckRun(core: FakeCore, check: FakeCheckRun, input: z.infer<typeof CheckRunBody>): void {
  if (input.name !== undefined) check.name = input.name;
  if (input.details_url !== undefined) check.detailsUrl = input.details_url;
  if (input.external_id !== undefined) check.externalId = input.external_id;
  if (input.status !== undefined) check.status = input.status;
  if (input.conclusion !== undefined) {
    check.conclusion = input.conclusion;
    check.status = 'completed';
  }
  if (check.status === 'completed' && check.conclusion === null) {
    throw new ApiFailure(422, 'Invalid request.\n\nconclusion is required when status is completed');
  }
  if (check.status === 'completed') check.completedAt = input.completed_at ?? check.completedAt ?? core.now();
  if (input.output !== undefined) {
    check.output = {
      title: input.output.title,
      summary: input.output.summary,
      text: input.output.text ?? null,
    };
  }
}

/** The id of the GitHub Actions app, whose bot a job's `GITHUB_TOKEN` acts as. */
const GITHUB_ACTIONS_APP_ID = 15368;

/**
 * Only GitHub Apps write check runs: an installation token (the App) or a job's `GITHUB_TOKEN` (the GitHub Actions
 * app). A user's token is refused with 403, as GitHub does.
 */
function checkRunApp(core: FakeCore, identity: Identity): { user: FakeUser; appId: number } {
  if (identity.kind === 'installation') return { user: identity.user, appId: core.app.id };
  if (identity.kind === 'job') return { user: identity.user, appId: GITHUB_ACTIONS_APP_ID };
  actorOf(identity);
  throw new ApiFailure(403, 'You must authenticate via a GitHub App.');
}

/** The App's own endpoints (JWT), installation lookup, and check runs. */
export function appRoutes(core: FakeCore): Route[] {
  const checkOf = (repo: FakeRepository, id: string | undefined) => {
    const check = core.state.checkRuns.get(Number(id));
    if (!check || check.repoFullName !== repo.fullName) throw notFound();
    return check;
  };
  return [
    defineRoute(
      'GET',
      '/app',
      () => json(200, appJson(core, [...core.state.repositories.values()][0]?.owner ?? core.app.bot)),
      'jwt',
    ),
    defineRoute('GET', '/app/installations', () => json(200, [installationJson(core)]), 'jwt'),
    defineRoute(
      'GET',
      '/app/installations/{installation_id}',
      ({ params }) => {
        if (Number(params.installation_id) !== core.app.installationId) throw notFound();
        return json(200, installationJson(core));
      },
      'jwt',
    ),
    defineRoute(
      'POST',
      '/app/installations/{installation_id}/access_tokens',
      ({ params, body }) => {
        if (Number(params.installation_id) !== core.app.installationId) throw notFound();
        // A token may ask for fewer permissions than the installation has, never more.
        const permissions = narrowPermissions(
          core.app.permissions,
          parseBody(TokenRequestBody, body)?.permissions,
        );
        if ('exceeds' in permissions)
          throw new ApiFailure(422, `The permissions requested are not granted to this installation.`);
        const token = core.tokens.issue({
          kind: 'installation',
          installationId: core.app.installationId,
          user: core.app.bot,
          permissions,
        });
        const answer: TokenJson = {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: permissions as TokenJson['permissions'],
          repository_selection: 'all',
        };
        return json(201, answer);
      },
      'jwt',
    ),
    defineRoute(
      'GET',
      '/repos/{owner}/{repo}/installation',
      ({ params }) => {
        repoOf(core, params);
        return json(200, installationJson(core));
      },
      'jwt',
    ),
    defineRoute('POST', '/repos/{owner}/{repo}/check-runs', async ({ params, body, identity }) => {
      const repo = repoOf(core, params);
      const app = checkRunApp(core, identity).user;
      const input = parseBody(CheckRunBody, body);
      if (input.name === undefined || input.head_sha === undefined) {
        throw new ApiFailure(422, 'Invalid request.\n\n"name" and "head_sha" are required');
      }
      if (!(await resolveCommit(repo.bareDir, input.head_sha)))
        throw new ApiFailure(422, `No commit found for SHA: ${input.head_sha}`);
      const check: FakeCheckRun = {
        id: core.state.id(),
        repoFullName: repo.fullName,
        name: input.name,
        headSha: input.head_sha,
        status: 'queued',
        conclusion: null,
        detailsUrl: null,
        externalId: null,
        output: { title: null, summary: null, text: null },
        startedAt: input.started_at ?? core.now(),
        completedAt: null,
        app,
      };
      applyCheckRun(core, check, input);
      core.state.checkRuns.set(check.id, check);
      return json(201, checkRunJson(core, repo, check));
    }),
    defineRoute('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', ({ params, body, identity }) => {
      const repo = repoOf(core, params);
      const caller = checkRunApp(core, identity);
      const check = checkOf(repo, params.check_run_id);
      if (check.app?.login !== caller.user.login)
        throw new ApiFailure(
          403,
          `Invalid app_id \`${caller.appId}\` - check run can only be modified by the GitHub App that created it.`,
        );
      applyCheckRun(core, check, parseBody(CheckRunBody, body));
      return json(200, checkRunJson(core, repo, check));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', ({ params }) => {
      const repo = repoOf(core, params);
      return json(200, checkRunJson(core, repo, checkOf(repo, params.check_run_id)));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/commits/{ref+}/check-runs', async ({ params, query }) => {
      const repo = repoOf(core, params);
      const sha = await resolveCommit(repo.bareDir, params.ref ?? '');
      if (!sha) throw new ApiFailure(422, `No commit found for SHA: ${params.ref}`);
      const name = query.get('check_name');
      const runs = [...core.state.checkRuns.values()]
        .filter((check) => check.repoFullName === repo.fullName && check.headSha === sha)
        .filter((check) => name === null || check.name === name)
        .reverse();
      return json(200, {
        total_count: runs.length,
        check_runs: runs.map((check) => checkRunJson(core, repo, check)),
      });
    }),
  ];
}
