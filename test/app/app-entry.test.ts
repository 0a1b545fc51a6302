import { readFile } from 'node:fs/promises';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_EVENTS } from '../../app/create-app.ts';
import app from '../../app/index.ts';
import { examplePayload, testPrivateKey } from './app-harness.ts';
import { mockAppSlug } from './github-mocks.ts';

describe('the App entry (app/index.ts)', () => {
  describe('loaded by Probot with the real orchestrator', () => {
    it('reads its bot login and ignores its own comments', async () => {
      const probot = new Probot({
        appId: 1,
        privateKey: testPrivateKey(),
        log: pino({ level: 'silent' }),
        Octokit: ProbotOctokit.defaults((defaults: object) => ({
          ...defaults,
          retry: { enabled: false },
          throttle: { enabled: false },
        })),
      });
      await probot.load(app);
      mockAppSlug('claude-cluster');
      const payload = examplePayload('issue_comment', 'created');
      payload.comment.body = '/cluster';
      payload.sender = { ...payload.sender, login: 'claude-cluster[bot]', type: 'Bot' };

      // Any call past GET /app would be unmocked and reject the delivery.
      await probot.receive({ id: 'delivery-1', name: 'issue_comment', payload } as Parameters<
        Probot['receive']
      >[0]);

      expect(nock.isDone()).toBe(true);
    });
  });

  describe('app.yml', () => {
    it('subscribes to every event the App routes', async () => {
      const manifest = parse(await readFile(new URL('../../app.yml', import.meta.url), 'utf8')) as {
        default_events: string[];
      };
      const routed = [...new Set(APP_EVENTS.map((event) => event.split('.')[0]))].sort();
      expect([...manifest.default_events].sort()).toEqual(routed);
    });
  });
});
