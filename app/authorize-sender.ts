import { z } from 'zod';
import { type Octokit, requestStatus } from '../core/github/octokit-types.ts';

/** Who acted on a webhook, as the payload names them. */
export interface Sender {
  login: string;
  /** `User`, `Bot` or `Organization`. */
  type: string;
}

/** What to do with a sender's request. */
export type SenderVerdict =
  | { kind: 'allowed' }
  /** Said nothing to: the App itself, bots not in `allowed_bots`, organizations. Never answered, so no loops. */
  | { kind: 'ignored'; reason: string }
  /** A person without write access: answered once with `reply`, nothing else happens. */
  | { kind: 'refused'; reply: string };

/** What the check needs besides the sender. */
export interface AuthorizeSenderInput {
  owner: string;
  repo: string;
  sender: Sender;
  /** The App's own bot login (`<slug>[bot]`). */
  appLogin: string;
  /** Config `allowed_bots`. */
  allowedBots: readonly string[];
  /** What the sender tried, for the refusal: "use `/cluster`", "start a run with the `cluster` label". */
  attempted: string;
}

/** Roles that may start runs; `permission` says `write` for `maintain` and custom roles based on write. */
const WRITE_PERMISSIONS = new Set(['admin', 'maintain', 'write']);

const PermissionSchema = z.object({ permission: z.string(), role_name: z.string().optional() });

/** Logins are case-insensitive on GitHub. */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Decides whether a sender may act: a `User` with write, maintain or admin permission on the repository, or a bot
 * listed in `allowed_bots`. The App's own actions and other bots are ignored without a word; anyone else is refused
 * with one polite reply. Permission comes from `GET /repos/{owner}/{repo}/collaborators/{login}/permission`
 * (404: no permission).
 */
export async function authorizeSender(octokit: Octokit, input: AuthorizeSenderInput): Promise<SenderVerdict> {
  const { sender } = input;
  if (sameLogin(sender.login, input.appLogin)) return { kind: 'ignored', reason: 'the App itself' };
  if (sender.type === 'Bot') {
    return input.allowedBots.some((bot) => sameLogin(bot, sender.login))
      ? { kind: 'allowed' }
      : { kind: 'ignored', reason: `bot ${sender.login} is not in allowed_bots` };
  }
  if (sender.type !== 'User') return { kind: 'ignored', reason: `sender type ${sender.type}` };
  if (await hasWriteAccess(octokit, input.owner, input.repo, sender.login)) return { kind: 'allowed' };
  return {
    kind: 'refused',
    reply: `Thanks, @${sender.login}! Only people with write access to this repository can ${input.attempted}: the tasks run with this repository’s secrets. A maintainer can start it for you.`,
  };
}

async function hasWriteAccess(
  octokit: Octokit,
  owner: string,
  repo: string,
  username: string,
): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    const level = PermissionSchema.parse(data);
    return WRITE_PERMISSIONS.has(level.permission) || WRITE_PERMISSIONS.has(level.role_name ?? '');
  } catch (error) {
    if (requestStatus(error) === 404) return false;
    throw error;
  }
}
