import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../app/create-app.ts';
import { API } from '../github/github-api.ts';
import { type ExampleEventName, type ExamplePayload, webhookExample } from '../github/webhook-examples.ts';
import { type FakeOrchestrator, fakeOrchestrator } from './fake-orchestrator.ts';

/** The installation every test payload carries (the examples mostly lack one). */
export const INSTALLATION_ID = 4242;
/** The App's slug in tests, and so its bot login. */
export const APP_SLUG = 'claude-cluster';
export const APP_LOGIN = `${APP_SLUG}[bot]`;

let privateKey: string | undefined;

/** An RSA key made for this test process: Probot signs its app JWTs with it. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;
  return privateKey;
}

/** A Probot running the App with a fake orchestrator, and what it logged. */
export interface AppHarness {
  fake: FakeOrchestrator;
  /** Every log record (pino JSON) Probot and the App wrote. */
  logs: Record<string, unknown>[];
  /** Delivers an event as GitHub would; rejects when a handler threw. */
  receive(name: string, payload: object, deliveryId?: string): Promise<void>;
}

/** Options of {@link createAppHarness}. */
export interface AppHarnessOptions {
  /** The App's slug; undefined makes the App read it with `GET /app`. */
  appSlug?: string | undefined;
  configMaxAgeMs?: number;
}

/**
 * Probot with retry and throttling off (the function form of `ProbotOctokit.defaults`: the object form does not
 * turn throttling off in Probot 14) and the App loaded with a fake orchestrator. The installation token request is
 * mocked as optional, so tests that expect no API call at all still see any unmocked one fail.
 */
export async function createAppHarness(
  options: AppHarnessOptions = { appSlug: APP_SLUG },
): Promise<AppHarness> {
  const fake = fakeOrchestrator();
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    log: pino({ level: 'debug' }, stream),
    Octokit: ProbotOctokit.defaults((defaults: object) => ({
      ...defaults,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load(
    createApp({
      orchestrator: fake.orchestrator,
      ...(options.appSlug === undefined ? {} : { appSlug: options.appSlug }),
      ...(options.configMaxAgeMs === undefined ? {} : { configMaxAgeMs: options.configMaxAgeMs }),
    }),
  );
  nock(API).post(`/app/installations/${INSTALLATION_ID}/access_tokens`).optionally().reply(201, {
    token: 'ghs_test',
    expires_at: '2099-01-01T00:00:00Z',
    permissions: {},
    repository_selection: 'all',
  });
  let deliveries = 0;
  return {
    fake,
    logs,
    receive: (name, payload, deliveryId) => {
      deliveries += 1;
      // Probot's receive is typed per event name; the payloads here are real examples of that name.
      const event = { id: deliveryId ?? `delivery-${deliveries}`, name, payload } as Parameters<
        Probot['receive']
      >[0];
      return probot.receive(event);
    },
  };
}

/** The first real example payload of `name.action`, with an installation added (most examples lack one). */
export function examplePayload<Name extends ExampleEventName>(
  name: Name,
  action: string,
): ExamplePayload<Name> & { installation: { id: number } } {
  return { ...webhookExample(name, action), installation: { id: INSTALLATION_ID } };
}
