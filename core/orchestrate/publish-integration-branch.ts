import { type Octokit, requestStatus } from '../github/octokit-types.ts';
import { createRef, type RepoRef, readBranchTip } from './github-ledger.ts';

/**
 * Publishes the run's code on GitHub: moves the integration branch (the pull request's head) to the commit the
 * ledger projects, `sha`, creating the branch at the first finish. The App's token moving it is what runs the
 * repository's CI, so it moves once per finish whose code changed, never for bookkeeping. Only forward: a branch that
 * already holds `sha` (another replica published it, or a later one) stays; one whose history lacks it (someone
 * pushed over the run's code) is refused with a message, and nothing is moved.
 */
export async function publishIntegrationBranch(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  sha: string,
  hint: { exists: boolean },
): Promise<void> {
  if (!hint.exists && (await createRef(octokit, repo, branch, sha))) return;
  try {
    await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha, force: false });
    return;
  } catch (error) {
    // 422: the branch does not exist (the first finish, by a process that did not know), or it is not behind `sha`.
    if (requestStatus(error) !== 422) throw error;
  }
  if (hint.exists && (await createRef(octokit, repo, branch, sha))) return;
  const tip = await readBranchTip(octokit, repo, branch);
  if (tip?.sha === sha) return;
  const { data } = await octokit.rest.repos.listCommits({ ...repo, sha: branch, per_page: 100 });
  if (data.some((commit) => commit.sha === sha)) return;
  throw new Error(
    `\`${branch}\` was moved to ${tip?.sha.slice(0, 7) ?? 'nothing'}, which does not hold the run's code (${sha.slice(0, 7)}); push follow-ups to another branch, or reset \`${branch}\` to ${sha.slice(0, 7)} so the run can publish its work`,
  );
}
