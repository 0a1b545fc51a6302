import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The committed bundle, run exactly as the runner runs it. */
export const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'index.js');

/** What one run of the bundle left behind. */
export interface BundledRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error::` annotation, when the step failed. */
  error?: string;
}

/** The event of a workflow_dispatch run, the way the App starts task jobs. */
export function dispatchEvent(inputs: Record<string, string> = {}) {
  return {
    inputs,
    ref: 'refs/heads/main',
    repository: {
      id: 1,
      name: 'widgets',
      full_name: 'octo/widgets',
      default_branch: 'main',
      owner: { login: 'octo', id: 2, type: 'Organization' },
    },
    sender: { login: 'octocat', id: 3, type: 'User' },
  };
}

/**
 * Runs `node dist/index.js` in a child process with the environment a GitHub runner gives a JavaScript action:
 * `INPUT_*`, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_WORKSPACE`, `GITHUB_EVENT_PATH`, `RUNNER_TEMP`.
 */
export async function runBundledAction(options: {
  workspace: string;
  inputs: Record<string, string>;
  event?: unknown;
  env?: NodeJS.ProcessEnv;
  toolCache?: string;
  /** Another build of the bundle (e.g. an older one, to compare start-up times); the committed one by default. */
  bundle?: string;
}): Promise<BundledRun> {
  const runner = mkdtempSync(join(tmpdir(), 'cluster-runner-'));
  const outputFile = join(runner, 'output');
  const summaryFile = join(runner, 'summary');
  const eventFile = join(runner, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(options.event ?? dispatchEvent()));
  mkdirSync(join(runner, 'temp'));
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'octo/widgets',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: join(runner, 'temp'),
    RUNNER_TOOL_CACHE: options.toolCache ?? join(runner, 'tools'),
    ...inputs,
    ...options.env,
  };
  const child = spawn(process.execPath, [options.bundle ?? BUNDLE], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    error: /^::error::(.*)$/m.exec(stdout)?.[1]?.replace(/%0A/g, '\n').replace(/%25/g, '%'),
  };
}

/** `GITHUB_OUTPUT` holds `name<<delimiter\nvalue\ndelimiter` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}
