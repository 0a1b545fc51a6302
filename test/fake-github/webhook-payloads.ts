import type { FakeCore } from './fake-core.ts';
import type {
  FakeComment,
  FakeIssue,
  FakeJob,
  FakePull,
  FakeRepository,
  FakeUser,
  FakeWorkflowRun,
} from './fake-state.ts';
import type { GitCommit } from './git-store.ts';
import { commentJson, issueJson, labelJson } from './shape-issue.ts';
import { type PullLive, pullJson } from './shape-pull.ts';
import { repositoryJson } from './shape-repository.ts';
import { userJson } from './shape-user.ts';
import { jobJson, workflowRunJson } from './shape-workflow.ts';

/**
 * Webhook payloads built from the fake's state, shaped like GitHub's (and `@octokit/webhooks-examples`): the REST
 * object of the subject, `repository`, `sender` and `installation: { id, node_id }` so Probot authenticates as the
 * installation.
 */
export type WebhookPayload = Record<string, unknown> & { action: string };

function envelope(core: FakeCore, repo: FakeRepository, sender: FakeUser) {
  const org = repo.owner;
  const orgApi = `${core.urls.api}/orgs/${org.login}`;
  return {
    repository: repositoryJson(repo, core.urls),
    // GitHub adds the organization to events of repositories an organization owns.
    ...(org.type === 'Organization' && {
      organization: {
        login: org.login,
        id: org.id,
        node_id: `O_${org.id}`,
        url: orgApi,
        repos_url: `${orgApi}/repos`,
        events_url: `${orgApi}/events`,
        hooks_url: `${orgApi}/hooks`,
        issues_url: `${orgApi}/issues`,
        members_url: `${orgApi}/members{/member}`,
        public_members_url: `${orgApi}/public_members{/member}`,
        avatar_url: `${core.urls.web}/avatars/u/${org.id}`,
        description: null,
      },
    }),
    sender: userJson(sender, core.urls),
    installation: { id: core.app.installationId, node_id: `MDIz${core.app.installationId}` },
  };
}

/** `issues` (`opened`, `labeled`, `closed`, …); `label` for labeled/unlabeled. */
export function issuesPayload(
  core: FakeCore,
  repo: FakeRepository,
  issue: FakeIssue,
  action: string,
  sender: FakeUser,
  label?: string,
): WebhookPayload {
  const known = label === undefined ? undefined : repo.labels.get(label.toLowerCase());
  return {
    action,
    issue: issueJson(repo, issue, core.state.issueComments(repo.fullName, issue.number).length, core.urls),
    ...(known === undefined ? {} : { label: labelJson(repo, known, core.urls) }),
    ...envelope(core, repo, sender),
  };
}

/** `issue_comment` (`created`, `edited`, `deleted`). */
export function issueCommentPayload(
  core: FakeCore,
  repo: FakeRepository,
  issue: FakeIssue,
  comment: FakeComment,
  action: string,
  sender: FakeUser,
): WebhookPayload {
  return {
    action,
    issue: issueJson(repo, issue, core.state.issueComments(repo.fullName, issue.number).length, core.urls),
    comment: commentJson(repo, comment, core.urls),
    ...envelope(core, repo, sender),
  };
}

/** `pull_request` (`opened`, `closed`, `reopened`, `edited`); `live` is the base branch's tip and the changes. */
export function pullRequestPayload(
  core: FakeCore,
  repo: FakeRepository,
  issue: FakeIssue & { pull: FakePull },
  live: PullLive,
  action: string,
  sender: FakeUser,
): WebhookPayload {
  const pull = pullJson(core.state, repo, issue, live, core.urls);
  // Some actions' descriptions (`synchronize`) require fields the REST object leaves out; every action allows them.
  const withRepoExtras = <T extends { repo: object | null }>(side: T) => ({
    ...side,
    repo: side.repo === null ? null : { ...side.repo, has_discussions: false, topics: [] },
  });
  return {
    action,
    number: issue.number,
    pull_request: {
      ...pull,
      active_lock_reason: null,
      requested_teams: [],
      base: withRepoExtras(pull.base),
      head: withRepoExtras(pull.head),
    },
    ...envelope(core, repo, sender),
  };
}

/** `workflow_run` (`requested`, `in_progress`, `completed`). */
export function workflowRunPayload(
  core: FakeCore,
  repo: FakeRepository,
  run: FakeWorkflowRun,
  headCommit: GitCommit | undefined,
  action: string,
): WebhookPayload {
  const api = `${core.urls.api}/repos/${repo.fullName}/actions/workflows/${run.workflowId}`;
  return {
    action,
    workflow_run: workflowRunJson(repo, run, headCommit, core.urls),
    workflow: {
      id: run.workflowId,
      node_id: `W_${run.workflowId}`,
      name: run.workflowName,
      path: run.path,
      state: 'active',
      created_at: run.createdAt,
      updated_at: run.createdAt,
      url: api,
      html_url: `${core.urls.web}/${repo.fullName}/blob/${repo.defaultBranch}/${run.path}`,
      badge_url: `${core.urls.web}/${repo.fullName}/workflows/${encodeURIComponent(run.workflowName)}/badge.svg`,
    },
    ...envelope(core, repo, run.actor),
  };
}

/** `workflow_job` (`queued`, `in_progress`, `completed`). */
export function workflowJobPayload(
  core: FakeCore,
  repo: FakeRepository,
  run: FakeWorkflowRun,
  job: FakeJob,
  action: string,
): WebhookPayload {
  return {
    action,
    workflow_job: jobJson(repo, run, job, core.urls),
    ...envelope(core, repo, run.actor),
  };
}
