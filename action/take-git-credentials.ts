import { runGit } from '../core/git/run-git.ts';

/**
 * Takes the push credential out of the checkout before the agent runs: `actions/checkout` persists the token as an
 * `http.<url>.extraheader` in `.git/config`, where any agent could read it. The headers are removed from the file and
 * returned as `GIT_CONFIG_*` environment for the engine's own git commands (fetch and push) only. When none was
 * persisted (`persist-credentials: false`), the `github-token` input provides it.
 */
export async function takeGitCredentials(
  workspace: string,
  options: { token?: string; serverUrl?: string },
): Promise<NodeJS.ProcessEnv> {
  const listed = await runGit(['config', '--local', '--get-regexp', '^http\\..*\\.extraheader$'], {
    cwd: workspace,
    okExitCodes: [1],
  });
  const entries = listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const space = line.indexOf(' ');
      return { key: line.slice(0, space), value: line.slice(space + 1) };
    });
  for (const key of new Set(entries.map((entry) => entry.key))) {
    await runGit(['config', '--local', '--unset-all', key], { cwd: workspace, okExitCodes: [5] });
  }
  if (entries.length === 0 && options.token) {
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    const server = (options.serverUrl ?? 'https://github.com').replace(/\/$/, '');
    entries.push({ key: `http.${server}/.extraheader`, value: `AUTHORIZATION: basic ${basic}` });
  }
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach((entry, index) => {
    env[`GIT_CONFIG_KEY_${index}`] = entry.key;
    env[`GIT_CONFIG_VALUE_${index}`] = entry.value;
  });
  return env;
}
