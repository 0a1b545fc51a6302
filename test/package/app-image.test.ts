/**
 * What the Dockerfile builds, without a Docker engine: the production install of its first stage, the files its COPY
 * lines bring in (parsed from the Dockerfile, so a change that breaks the file list fails here), and the App started
 * with the image's CMD. The App answers on loopback only; its GitHub API address is a loopback port with nothing
 * behind it, so nothing can leave this machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from '@octokit/webhooks-methods';
import picomatch from 'picomatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DockerInstruction, parseDockerfile } from '../docs/parse-dockerfile.ts';
import { cached, cleanEnv, hash, npm, PROJECT_ROOT, runCommand } from './install-packed-package.ts';

const instructions = parseDockerfile(readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));
const finalStage = Math.max(...instructions.map(({ stage }) => stage));
/** `**\/name` rules of .dockerignore: files left out even inside the folders the build context lets in. */
const excluded = readFileSync(join(PROJECT_ROOT, '.dockerignore'), 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line.startsWith('**/'))
  .map((line) => picomatch(line.slice(3)));
const WEBHOOK_SECRET = 'image-test-secret';

let work: string;
let app: ChildProcess | undefined;
let output = '';
let baseUrl: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cluster-image-'));
  const appDir = join(work, 'app');
  mkdirSync(appDir);
  const modules = await installDependenciesStage();
  for (const copy of inStage(finalStage, 'COPY')) {
    const words = copy.args.split(/\s+/);
    const from = words.find((word) => word.startsWith('--from='));
    const [sources, destination] = [
      words.filter((word) => !word.startsWith('--')).slice(0, -1),
      words.at(-1)!,
    ];
    if (from !== undefined) {
      // The only thing taken from the first stage is its node_modules; hard links keep the cache intact.
      expect(sources).toEqual(['/app/node_modules']);
      const copied = await runCommand('cp', ['-al', modules, join(appDir, destination)], { cwd: appDir });
      expect(copied.stderr).toBe('');
      continue;
    }
    for (const source of sources) copyFromContext(source, appDir, destination, sources.length);
  }
  const port = await freePort();
  const githubPort = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = startAsCmd(appDir, {
    APP_ID: '12345',
    PRIVATE_KEY: generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey,
    WEBHOOK_SECRET,
    HOST: '127.0.0.1',
    PORT: String(port),
    // Any request to GitHub would go to a closed loopback port.
    GHE_HOST: `127.0.0.1:${githubPort}`,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'info',
  });
  await waitForPing();
}, 300_000);

afterAll(() => {
  app?.kill('SIGKILL');
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

function inStage(stage: number, keyword: string): DockerInstruction[] {
  return instructions.filter((instruction) => instruction.stage === stage && instruction.keyword === keyword);
}

/**
 * The first stage: its COPY lines into an empty folder, then the `npm ci` of its RUN line as written there. Cached,
 * keyed by the files copied and the command, since the dependencies change only with them.
 */
async function installDependenciesStage(): Promise<string> {
  const copies = inStage(0, 'COPY');
  const sources = copies.flatMap((copy) =>
    copy.args
      .split(/\s+/)
      .filter((w) => !w.startsWith('--'))
      .slice(0, -1),
  );
  const install = inStage(0, 'RUN')
    .flatMap(({ args }) => args.split('&&').map((part) => part.trim()))
    .find((part) => part.startsWith('npm ci'));
  expect(install, 'the first stage runs npm ci').toBeDefined();
  const key = hash(
    [install, ...sources.map((source) => readFileSync(join(PROJECT_ROOT, source), 'utf8'))].join('\0'),
  );
  const dir = await cached(`image-dependencies-${key}`, async (target) => {
    mkdirSync(target, { recursive: true });
    for (const source of sources) cpSync(join(PROJECT_ROOT, source), join(target, basename(source)));
    await npm(install!.split(/\s+/).slice(1), target);
  });
  return join(dir, 'node_modules');
}

/** Copies a build-context `source` as `COPY <sources…> <destination>` does, leaving out what .dockerignore excludes. */
function copyFromContext(source: string, appDir: string, destination: string, count: number): void {
  const target =
    destination.endsWith('/') || count > 1
      ? join(appDir, destination, basename(source))
      : join(appDir, destination);
  cpSync(join(PROJECT_ROOT, source), target, {
    recursive: true,
    filter: (path) => !excluded.some((isExcluded) => isExcluded(basename(path))),
  });
}

/** Starts the image's CMD (exec form) in the app folder with the image's ENV and `env` over it. */
function startAsCmd(appDir: string, env: NodeJS.ProcessEnv): ChildProcess {
  const [cmd] = inStage(finalStage, 'CMD');
  const argv = JSON.parse(cmd?.args ?? '[]') as string[];
  expect(argv[0]).toBe('node');
  const imageEnv = Object.fromEntries(
    inStage(finalStage, 'ENV').flatMap(({ args }) =>
      [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)].map((match) => [match[1]!, match[2]!]),
    ),
  );
  // The image's Node is node:24-slim; these tests run on Node 24 too.
  const child = spawn(process.execPath, argv.slice(1), {
    cwd: appDir,
    env: cleanEnv({ ...imageEnv, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return child;
}

/** Waits until the App answers, or fails with what it printed when it exits or never answers. */
async function waitForPing(): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (app?.exitCode !== null) throw new Error(`the App exited (${app?.exitCode}):\n${output}`);
    const answered = await fetch(`${baseUrl}/ping`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return;
    await sleep(100);
  }
  throw new Error(`the App did not answer /ping within 30 s:\n${output}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function deliver(event: string, payload: object, secret = WEBHOOK_SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${baseUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-hub-signature-256': await sign(secret, body),
    },
    body,
  });
}

const PING = {
  zen: 'Design for failure.',
  hook_id: 1,
  hook: {
    type: 'App',
    id: 1,
    active: true,
    events: ['issues'],
    app_id: 12345,
    config: { content_type: 'json' },
  },
};

describe('the App as the Dockerfile builds it', () => {
  it('answers GET /ping with PONG', async () => {
    const response = await fetch(`${baseUrl}/ping`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('PONG');
  });

  it('passes the image’s HEALTHCHECK', async () => {
    const [healthcheck] = inStage(finalStage, 'HEALTHCHECK');
    const argv = JSON.parse(
      healthcheck?.args.slice(healthcheck.args.indexOf('CMD ') + 4) ?? '[]',
    ) as string[];
    expect(argv[0]).toBe('node');

    const result = await runCommand(process.execPath, argv.slice(1), {
      cwd: work,
      env: cleanEnv({ PORT: new URL(baseUrl).port }),
    });

    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  });

  it('accepts a signed webhook delivery', async () => {
    const response = await deliver('ping', PING);

    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
  });

  it('refuses a delivery signed with another secret', async () => {
    const response = await deliver('ping', PING, 'not-the-secret');

    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});
