import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../app/create-app.ts';
import { createOrchestrator } from '../../core/orchestrate/create-orchestrator.ts';
import { createAppPrivateKey, type FakeGitHub } from '../fake-github/fake-github.ts';

/** The real App (real orchestrator) served over HTTP on loopback, receiving the fake GitHub's webhooks. */
export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the App the way `probot run` would, but against the fake GitHub: app id and key, webhook secret, API base
 * URL. Retry and throttling are off (function form of `ProbotOctokit.defaults`; the object form does not turn them
 * off in Probot 14).
 */
export async function startApp(
  fake: FakeGitHub,
  options: { secret?: string; logLevel?: 'warn' | 'fatal' } = {},
): Promise<RunningApp> {
  const probot = new Probot({
    appId: fake.app.id,
    privateKey: createAppPrivateKey(),
    secret: options.secret ?? 'fake-webhook-secret',
    baseUrl: fake.url,
    logLevel: options.logLevel ?? 'warn',
    Octokit: ProbotOctokit.defaults((defaults: object) => ({
      ...defaults,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  const middleware = await createNodeMiddleware(
    createApp({ orchestrator: createOrchestrator(), appSlug: 'claude-cluster' }),
    { probot, webhooksPath: '/api/github/webhooks' },
  );
  const server: Server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404);
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/api/github/webhooks`;
  fake.webhookUrl = url;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
