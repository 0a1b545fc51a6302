import type { CommandReply } from '../../core/orchestrate/orchestrator.ts';
import { PullRequestSchema } from '../event-schemas.ts';
import type { ClusterCommand } from '../parse-command.ts';
import { renderUsage } from '../render-usage.ts';
import { type HandlerDeps, orchestratorContext } from './handler-deps.ts';

/** A command and where it was given. */
export interface CommandFields {
  command: ClusterCommand;
  issueNumber: number;
  /** The issue's (or pull request's) title and current body: untrusted text. */
  title: string;
  body: string;
  /** True when the comment is on a pull request. */
  isPullRequest: boolean;
  commentId: number;
  /** Login of who gave the command, already authorized. */
  sender: string;
}

/** Commands that dispatch workflows, and so run code of the branch with this repository's secrets. */
const DISPATCHING = new Set<ClusterCommand['kind']>(['start', 'plan', 'approve', 'retry']);

/**
 * Carries out an authorized `/cluster` command through the orchestrator and returns what to answer. On a pull
 * request the run's base is its head branch; a pull request from a fork is refused (unless config `allow_forks`)
 * for every command that dispatches workflows, since the tasks run with this repository's secrets.
 */
export async function handleCommand(deps: HandlerDeps, fields: CommandFields): Promise<CommandReply> {
  const { command, issueNumber, sender } = fields;
  const word = deps.config.command;
  const context = orchestratorContext(deps);
  if (command.kind === 'help') return { comment: renderUsage(word) };
  if (command.kind === 'invalid') return { comment: renderUsage(word, command.problem) };
  let pullRequest: { number: number; headRef: string } | undefined;
  if (fields.isPullRequest && DISPATCHING.has(command.kind)) {
    const head = await readPullRequestHead(deps, issueNumber);
    if (head.fromFork && !deps.config.allow_forks) return { comment: forkRefusal(word) };
    pullRequest = { number: issueNumber, headRef: head.ref };
  }
  switch (command.kind) {
    case 'start':
    case 'plan':
      return deps.orchestrator.startRun(context, {
        issueNumber,
        title: fields.title,
        body: fields.body,
        requestedBy: sender,
        triggerId: `comment-${fields.commentId}`,
        ...(command.extraInstructions === undefined ? {} : { extraInstructions: command.extraInstructions }),
        planOnly: command.kind === 'plan',
        ...(pullRequest === undefined ? {} : { pullRequest }),
      });
    case 'approve':
      return deps.orchestrator.approveRun(context, { issueNumber, approvedBy: sender });
    case 'status':
      return deps.orchestrator.showStatus(context, { issueNumber });
    case 'cancel':
      return deps.orchestrator.cancelRun(context, { issueNumber, cancelledBy: sender });
    case 'retry':
      return deps.orchestrator.retryTasks(context, {
        issueNumber,
        selection: command.selection,
        requestedBy: sender,
      });
  }
}

async function readPullRequestHead(
  deps: HandlerDeps,
  pullNumber: number,
): Promise<{ ref: string; fromFork: boolean }> {
  const { data } = await deps.octokit.rest.pulls.get({
    owner: deps.owner,
    repo: deps.repo,
    pull_number: pullNumber,
  });
  const pull = PullRequestSchema.parse(data);
  // A deleted fork leaves `head.repo` null: still not this repository.
  const headRepo = pull.head.repo?.full_name.toLowerCase();
  return { ref: pull.head.ref, fromFork: headRepo !== pull.base.repo?.full_name.toLowerCase() };
}

function forkRefusal(word: string): string {
  return [
    `This pull request comes from a fork, so claude-cluster does not run on it: its tasks would run the fork's code with this repository's secrets.`,
    `A maintainer can push the branch to this repository and give \`/${word}\` on a pull request from there, or set \`allow_forks: true\` in \`.github/claude-cluster.yml\` to accept the risk.`,
  ].join('\n\n');
}
