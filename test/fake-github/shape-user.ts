import type { Endpoints } from '@octokit/types';
import type { FakeUser } from './fake-state.ts';

/** Where the fake's objects point: its REST API, the web pages (not served) and git over HTTP. */
export interface FakeUrls {
  /** REST API root (the fake's address). */
  api: string;
  /** Root of `html_url`s; https://github.com by default so rendered links look as they do on GitHub. */
  web: string;
}

/** A user as every REST response embeds it (`simple-user`). */
export type UserJson = NonNullable<
  Endpoints['GET /repos/{owner}/{repo}/issues/{issue_number}']['response']['data']['user']
>;

/** The `simple-user` object of an account. */
export function userJson(user: FakeUser, urls: FakeUrls): UserJson {
  const api = `${urls.api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: `${urls.web}/avatars/u/${user.id}`,
    gravatar_id: '',
    url: api,
    // A bot's page is its App's (`<slug>[bot]` is no valid URL path).
    html_url:
      user.type === 'Bot'
        ? `${urls.web}/apps/${user.login.replace(/\[bot\]$/, '')}`
        : `${urls.web}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    site_admin: false,
    user_view_type: 'public',
  };
}
