import type { Endpoints } from '@octokit/types';
import { z } from 'zod';
import { ApiFailure, json, notFound, parseBody } from './api-response.ts';
import { actorOf, type FakeCore, repoOf, runOf } from './fake-core.ts';
import type { FakeRepository, FakeWorkflowRun } from './fake-state.ts';
import { readCommit } from './git-store.ts';
import { defineRoute, type Route, type RouteRequest } from './match-route.ts';
import { paginate } from './paginate-list.ts';
import { jobJson, workflowRunJson } from './shape-workflow.ts';

type DispatchJson =
  Endpoints['POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches']['response']['data'];

const DispatchBody = z.object({
  ref: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).optional(),
  return_run_details: z.boolean().optional(),
});

/** The bounds of a `created` filter: `>=X`, `>X`, `<=X`, `<X`, `X..Y` (`*` for open) or a day `YYYY-MM-DD`. */
export function createdBounds(filter: string): { from: number; to: number } {
  const time = (text: string, end: boolean) => {
    if (text === '*' || text === '') return end ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
    const value = Date.parse(dayOnly ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(value)) throw new ApiFailure(422, `Invalid created filter: ${filter}`);
    return dayOnly && end ? value + 86_399_999 : value;
  };
  const range = /^(.*)\.\.(.*)$/.exec(filter);
  if (range) return { from: time(range[1] ?? '*', false), to: time(range[2] ?? '*', true) };
  const compare = /^(>=|<=|>|<)(.+)$/.exec(filter);
  if (compare) {
    const [, op = '', text = ''] = compare;
    if (op === '>=') return { from: time(text, false), to: Number.POSITIVE_INFINITY };
    if (op === '>') return { from: time(text, true) + 1, to: Number.POSITIVE_INFINITY };
    if (op === '<=') return { from: Number.NEGATIVE_INFINITY, to: time(text, true) };
    return { from: Number.NEGATIVE_INFINITY, to: time(text, false) - 1 };
  }
  return { from: time(filter, false), to: time(filter, true) };
}

function filterRuns(runs: FakeWorkflowRun[], query: URLSearchParams): FakeWorkflowRun[] {
  const event = query.get('event');
  const status = query.get('status');
  const branch = query.get('branch');
  const actor = query.get('actor');
  const headSha = query.get('head_sha');
  const created = query.get('created');
  const bounds = created === null ? undefined : createdBounds(created);
  return runs
    .filter((run) => event === null || run.event === event)
    .filter((run) => status === null || run.status === status || run.conclusion === status)
    .filter((run) => branch === null || run.headBranch === branch)
    .filter((run) => actor === null || run.actor.login.toLowerCase() === actor.toLowerCase())
    .filter((run) => headSha === null || run.headSha === headSha)
    .filter(
      (run) =>
        bounds === undefined ||
        (Date.parse(run.createdAt) >= bounds.from && Date.parse(run.createdAt) <= bounds.to),
    )
    .sort((a, b) => b.id - a.id);
}

/** Workflow dispatches, runs, jobs and cancellation. */
export function actionsRoutes(core: FakeCore): Route[] {
  const runResponse = async (repo: FakeRepository, run: FakeWorkflowRun) =>
    workflowRunJson(repo, run, await readCommit(repo.bareDir, run.headSha), core.urls);
  const listRuns = async (request: RouteRequest, workflowId?: number) => {
    const repo = repoOf(core, request.params);
    const runs = filterRuns(
      core.state
        .runs(repo.fullName)
        .filter((run) => workflowId === undefined || run.workflowId === workflowId),
      request.query,
    );
    const bodies = [];
    for (const run of runs) bodies.push(await runResponse(repo, run));
    return paginate(bodies, request, core.urls.api, (page) => ({
      total_count: runs.length,
      workflow_runs: page,
    }));
  };
  return [
    defineRoute(
      'POST',
      '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      async ({ params, body, identity }) => {
        const repo = repoOf(core, params);
        const actor = actorOf(identity);
        if (
          repo.rejectRunDetails &&
          typeof body === 'object' &&
          body !== null &&
          'return_run_details' in body
        ) {
          throw new ApiFailure(
            422,
            'Invalid request.\n\nFor \'properties/return_run_details\', "return_run_details" is not a permitted key.',
          );
        }
        const input = parseBody(DispatchBody, body);
        const run = await core.runner.dispatch({
          repo,
          workflow: params.workflow_id ?? '',
          ref: input.ref,
          inputs: input.inputs ?? {},
          actor,
        });
        if (input.return_run_details !== true) return { status: 204 };
        const answer: DispatchJson = {
          workflow_run_id: run.id,
          run_url: `${core.urls.api}/repos/${repo.fullName}/actions/runs/${run.id}`,
          html_url: `${core.urls.web}/${repo.fullName}/actions/runs/${run.id}`,
        };
        return json(200, answer);
      },
    ),
    defineRoute('GET', '/repos/{owner}/{repo}/actions/runs', (request) => listRuns(request)),
    defineRoute('GET', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', (request) => {
      const repo = repoOf(core, request.params);
      const id = request.params.workflow_id ?? '';
      const workflowId = /^\d+$/.test(id)
        ? Number(id)
        : core.runner.workflowId(repo, `.github/workflows/${id}`);
      return listRuns(request, workflowId);
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', async ({ params }) => {
      const repo = repoOf(core, params);
      return json(200, await runResponse(repo, runOf(core, repo, params.run_id)));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', (request) => {
      const repo = repoOf(core, request.params);
      const run = runOf(core, repo, request.params.run_id);
      const jobs = core.state.runJobs(run.id).map((job) => jobJson(repo, run, job, core.urls));
      return paginate(jobs, request, core.urls.api, (page) => ({ total_count: jobs.length, jobs: page }));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/actions/jobs/{job_id}', ({ params }) => {
      const repo = repoOf(core, params);
      const job = core.state.jobs.get(Number(params.job_id));
      const run = job === undefined ? undefined : core.state.workflowRuns.get(job.runId);
      if (!job || !run || run.repoFullName !== repo.fullName) throw notFound();
      return json(200, jobJson(repo, run, job, core.urls));
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', ({ params, identity }) => {
      const repo = repoOf(core, params);
      actorOf(identity);
      core.runner.cancel(runOf(core, repo, params.run_id));
      return json(202, {});
    }),
  ];
}
