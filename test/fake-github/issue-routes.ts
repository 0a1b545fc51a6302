import type { Endpoints } from '@octokit/types';
import { z } from 'zod';
import { ApiFailure, json, notFound, parseBody } from './api-response.ts';
import { actorOf, type FakeCore, repoOf } from './fake-core.ts';
import type { FakeComment, FakeIssue, FakeRepository, FakeUser } from './fake-state.ts';
import { defineRoute, type Route } from './match-route.ts';
import { paginate } from './paginate-list.ts';
import { commentJson, issueJson, labelJson } from './shape-issue.ts';
import { repositoryJson } from './shape-repository.ts';
import { userJson } from './shape-user.ts';
import { issueCommentPayload } from './webhook-payloads.ts';

type PermissionJson =
  Endpoints['GET /repos/{owner}/{repo}/collaborators/{username}/permission']['response']['data'];

const UpdateIssueBody = z.object({
  title: z.string().min(1).optional(),
  body: z.string().nullable().optional(),
  state: z.enum(['open', 'closed']).optional(),
  state_reason: z.enum(['completed', 'not_planned', 'reopened']).nullable().optional(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string() })])).optional(),
});
const CommentBody = z.object({ body: z.string().min(1).max(65_536) });
const LabelsBody = z.union([
  z.object({ labels: z.array(z.string().min(1)).min(1) }),
  z.array(z.string().min(1)).min(1),
]);
const ReactionBody = z.object({
  content: z.enum(['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes']),
});

/** The issue `{issue_number}` of a route's repository; 404 when absent. */
export function issueOf(repo: FakeRepository, number: string | undefined): FakeIssue {
  const issue = repo.issues.get(Number(number));
  if (!issue) throw notFound();
  return issue;
}

/** Adds labels to an issue, creating unknown ones in the repository as GitHub does. */
export function addLabels(core: FakeCore, repo: FakeRepository, issue: FakeIssue, names: string[]): void {
  for (const name of names) {
    if (!repo.labels.has(name.toLowerCase())) {
      repo.labels.set(name.toLowerCase(), { id: core.state.id(), name, color: 'ededed', description: null });
    }
    if (!issue.labels.some((label) => label.toLowerCase() === name.toLowerCase())) issue.labels.push(name);
  }
  issue.updatedAt = core.now();
}

/** Creates a comment by `user` on an issue (no webhook). */
export function createComment(
  core: FakeCore,
  repo: FakeRepository,
  issue: FakeIssue,
  user: FakeUser,
  body: string,
): FakeComment {
  const now = core.now();
  const comment: FakeComment = {
    id: core.state.id(),
    repoFullName: repo.fullName,
    issueNumber: issue.number,
    body,
    user,
    createdAt: now,
    updatedAt: now,
    reactions: [],
  };
  core.state.comments.set(comment.id, comment);
  issue.updatedAt = now;
  return comment;
}

function commentOf(core: FakeCore, repo: FakeRepository, id: string | undefined): FakeComment {
  const comment = core.state.comments.get(Number(id));
  if (!comment || comment.repoFullName !== repo.fullName) throw notFound();
  return comment;
}

/** Issues, comments, labels, reactions, collaborator permissions and the repository itself. */
export function issueRoutes(core: FakeCore): Route[] {
  const issueResponse = (repo: FakeRepository, issue: FakeIssue) =>
    issueJson(repo, issue, core.state.issueComments(repo.fullName, issue.number).length, core.urls);
  return [
    defineRoute('GET', '/repos/{owner}/{repo}', ({ params }) =>
      json(200, repositoryJson(repoOf(core, params), core.urls)),
    ),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}', ({ params }) => {
      const repo = repoOf(core, params);
      return json(200, issueResponse(repo, issueOf(repo, params.issue_number)));
    }),
    defineRoute('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', ({ params, body }) => {
      const repo = repoOf(core, params);
      const issue = issueOf(repo, params.issue_number);
      const update = parseBody(UpdateIssueBody, body);
      if (update.title !== undefined) issue.title = update.title;
      if (update.body !== undefined) issue.body = update.body;
      if (update.state !== undefined && update.state !== issue.state) {
        issue.state = update.state;
        issue.closedAt = update.state === 'closed' ? core.now() : null;
        issue.stateReason = update.state === 'closed' ? (update.state_reason ?? 'completed') : 'reopened';
      }
      if (update.labels !== undefined) {
        issue.labels = [];
        addLabels(
          core,
          repo,
          issue,
          update.labels.map((label) => (typeof label === 'string' ? label : label.name)),
        );
      }
      issue.updatedAt = core.now();
      return json(200, issueResponse(repo, issue));
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (request) => {
      const repo = repoOf(core, request.params);
      const issue = issueOf(repo, request.params.issue_number);
      const since = request.query.get('since');
      const comments = core.state
        .issueComments(repo.fullName, issue.number)
        .filter((comment) => since === null || comment.updatedAt >= since)
        .map((comment) => commentJson(repo, comment, core.urls));
      return paginate(comments, request, core.urls.api);
    }),
    defineRoute(
      'POST',
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      ({ params, body, identity }) => {
        const repo = repoOf(core, params);
        const issue = issueOf(repo, params.issue_number);
        const user = actorOf(identity);
        const comment = createComment(core, repo, issue, user, parseBody(CommentBody, body).body);
        core.emitApiEvent('issue_comment', issueCommentPayload(core, repo, issue, comment, 'created', user));
        return json(201, commentJson(repo, comment, core.urls));
      },
    ),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/comments/{comment_id}', ({ params }) => {
      const repo = repoOf(core, params);
      return json(200, commentJson(repo, commentOf(core, repo, params.comment_id), core.urls));
    }),
    defineRoute(
      'PATCH',
      '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      ({ params, body, identity }) => {
        const repo = repoOf(core, params);
        const comment = commentOf(core, repo, params.comment_id);
        actorOf(identity);
        comment.body = parseBody(CommentBody, body).body;
        comment.updatedAt = core.now();
        return json(200, commentJson(repo, comment, core.urls));
      },
    ),
    defineRoute('DELETE', '/repos/{owner}/{repo}/issues/comments/{comment_id}', ({ params, identity }) => {
      const repo = repoOf(core, params);
      const comment = commentOf(core, repo, params.comment_id);
      actorOf(identity);
      core.state.comments.delete(comment.id);
      return { status: 204 };
    }),
    defineRoute(
      'POST',
      '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      ({ params, body, identity }) => {
        const repo = repoOf(core, params);
        const comment = commentOf(core, repo, params.comment_id);
        const user = actorOf(identity);
        const { content } = parseBody(ReactionBody, body);
        const existing = comment.reactions.find((r) => r.content === content && r.user === user.login);
        if (!existing) comment.reactions.push({ content, user: user.login });
        return json(existing ? 200 : 201, {
          id: core.state.id(),
          node_id: `REA_${comment.id}`,
          user: userJson(user, core.urls),
          content,
          created_at: core.now(),
        });
      },
    ),
    defineRoute(
      'POST',
      '/repos/{owner}/{repo}/issues/{issue_number}/reactions',
      ({ params, body, identity }) => {
        const repo = repoOf(core, params);
        issueOf(repo, params.issue_number);
        const user = actorOf(identity);
        const { content } = parseBody(ReactionBody, body);
        return json(201, {
          id: core.state.id(),
          user: userJson(user, core.urls),
          content,
          created_at: core.now(),
        });
      },
    ),
    defineRoute('GET', '/repos/{owner}/{repo}/issues/{issue_number}/labels', ({ params }) => {
      const repo = repoOf(core, params);
      return json(200, issueResponse(repo, issueOf(repo, params.issue_number)).labels);
    }),
    defineRoute(
      'POST',
      '/repos/{owner}/{repo}/issues/{issue_number}/labels',
      ({ params, body, identity }) => {
        const repo = repoOf(core, params);
        const issue = issueOf(repo, params.issue_number);
        actorOf(identity);
        const parsed = parseBody(LabelsBody, body);
        addLabels(core, repo, issue, Array.isArray(parsed) ? parsed : parsed.labels);
        return json(200, issueResponse(repo, issue).labels);
      },
    ),
    defineRoute(
      'DELETE',
      '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
      ({ params, identity }) => {
        const repo = repoOf(core, params);
        const issue = issueOf(repo, params.issue_number);
        actorOf(identity);
        const before = issue.labels.length;
        issue.labels = issue.labels.filter((label) => label.toLowerCase() !== params.name?.toLowerCase());
        if (issue.labels.length === before) throw new ApiFailure(404, 'Label does not exist');
        issue.updatedAt = core.now();
        return json(200, issueResponse(repo, issue).labels);
      },
    ),
    defineRoute('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission', ({ params }) => {
      const repo = repoOf(core, params);
      const user = core.state.user(params.username ?? '');
      const isOwner = user.login.toLowerCase() === repo.owner.login.toLowerCase();
      const role = isOwner ? 'admin' : (repo.collaborators.get(user.login.toLowerCase()) ?? 'none');
      // `permission` is the legacy level: maintain counts as write, triage as read.
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      const answer: PermissionJson = {
        permission,
        role_name: role,
        user: { ...userJson(user, core.urls), role_name: role },
      };
      return json(200, answer);
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/labels/{name}', ({ params }) => {
      const repo = repoOf(core, params);
      const label = repo.labels.get((params.name ?? '').toLowerCase());
      if (!label) throw notFound();
      return json(200, labelJson(repo, label, core.urls));
    }),
  ];
}
