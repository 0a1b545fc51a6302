import { actionsRoutes } from './actions-routes.ts';
import { appRoutes } from './app-routes.ts';
import type { FakeCore } from './fake-core.ts';
import { gitDataRoutes } from './git-data-routes.ts';
import { issueRoutes } from './issue-routes.ts';
import type { Route } from './match-route.ts';
import { pullRoutes } from './pull-routes.ts';
import { repoContentRoutes } from './repo-content-routes.ts';

/**
 * Every REST route of the fake, in match order: longer templates come before one that would swallow them
 * (`commits/{ref}/check-runs`, in the app routes, before `commits/{ref}`).
 */
export function apiRoutes(core: FakeCore): Route[] {
  return [
    ...appRoutes(core),
    ...issueRoutes(core),
    ...gitDataRoutes(core),
    ...pullRoutes(core),
    ...actionsRoutes(core),
    ...repoContentRoutes(core),
  ];
}
