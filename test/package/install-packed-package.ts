/**
 * Helpers of the package tests: pack the project as `npm pack` does for a release, install the tarball the way a
 * user does (production dependencies only, from the npm registry), and fetch Node binaries of other versions the
 * way the `node@24` dev dependency comes (the npm package `node`, whose install script downloads the binary).
 * Slow installs are cached in the system's temporary folder, keyed by what they depend on.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** The project's root folder. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
/** Where installs are cached between runs. */
const CACHE_DIR = join(tmpdir(), 'claude-cluster-package-tests');
/** A cold install downloads about 250 packages (the agent SDK's binary among them); bounded all the same. */
const INSTALL_TIMEOUT_MS = 240_000;

/** What a command printed and how it ended. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `file args` (no shell) and resolves with its output whatever its exit code; rejects only on a timeout. */
export function runCommand(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? cleanEnv(),
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error?.killed) {
          reject(new Error(`${file} ${args.join(' ')} timed out in ${options.cwd}:\n${stderr}`));
          return;
        }
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/**
 * The environment of this process without npm's `npm_*` variables (set when the tests run under `npm test`): a
 * nested npm would read `npm_config_local_prefix` and install into this project instead.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_')) env[name] = value;
  }
  return { ...env, ...extra };
}

/** The environment with Node's folder first on PATH, so `npm` and `#!/usr/bin/env node` scripts run on it. */
export function envWithNode(nodeBinary: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = cleanEnv(extra);
  return { ...base, PATH: `${dirname(nodeBinary)}:${base.PATH ?? ''}` };
}

/** Runs npm on the tests' Node in `cwd`; rejects with its stderr when it fails. */
export async function npm(args: string[], cwd: string): Promise<string> {
  const result = await runCommand('npm', args, {
    cwd,
    env: envWithNode(process.execPath),
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  if (result.exitCode !== 0) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}):\n${result.stderr}`);
  }
  return result.stdout;
}

const PackResultSchema = z.array(z.object({ filename: z.string() })).length(1);

/** Builds and packs the project (`npm pack`, whose `prepack` builds `lib/`) into `destination`; returns the tarball. */
export async function packProject(destination: string): Promise<string> {
  const output = await npm(['pack', '--json', '--pack-destination', destination], PROJECT_ROOT);
  // The prepack script's output comes first; the JSON report is the last thing printed.
  const [packed] = PackResultSchema.parse(JSON.parse(output.slice(output.search(/^\[/m))));
  return join(destination, packed!.filename);
}

/**
 * Installs `tarball` into `folder` as a user would: `npm install --omit=dev <tarball>` in an empty project. The
 * dependencies come from a cached install of an earlier tarball (keyed by package.json's dependencies), hard-linked
 * in; only claude-cluster itself is then installed from the new tarball.
 */
export async function installTarball(tarball: string, folder: string): Promise<string> {
  const { dependencies } = z
    .object({ dependencies: z.record(z.string(), z.string()) })
    .parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')));
  const base = await cached(`consumer-${hash(JSON.stringify(dependencies))}`, async (dir) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
    await npm(['install', '--omit=dev', '--no-audit', '--no-fund', tarball], dir);
  });
  mkdirSync(folder, { recursive: true });
  const copy = await runCommand('cp', ['-al', join(base, 'node_modules'), join(folder, 'node_modules')], {
    cwd: folder,
  });
  if (copy.exitCode !== 0) throw new Error(`copying the cached install failed: ${copy.stderr}`);
  // The copy shares files with the cache: remove, never rewrite, what npm writes again.
  rmSync(join(folder, 'node_modules', 'claude-cluster'), { recursive: true, force: true });
  rmSync(join(folder, 'node_modules', '.bin', 'claude-cluster'), { force: true });
  rmSync(join(folder, 'node_modules', '.package-lock.json'), { force: true });
  writeFileSync(join(folder, 'package.json'), '{ "name": "consumer", "private": true }\n');
  await npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], folder);
  return join(folder, 'node_modules', '.bin', 'claude-cluster');
}

/** The `node` binary of `version` (e.g. `22.12.0`), from the npm package `node@<version>`, cached. */
export async function installNode(version: string): Promise<string> {
  const dir = await cached(`node-${version}`, async (target) => {
    mkdirSync(target, { recursive: true });
    await npm(
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', target, `node@${version}`],
      target,
    );
  });
  return join(dir, 'node_modules', '.bin', 'node');
}

/** The version `node --version` prints, without the `v`. */
export async function nodeVersion(nodeBinary: string): Promise<string | undefined> {
  if (!existsSync(nodeBinary)) return undefined;
  const result = await runCommand(nodeBinary, ['--version'], { cwd: tmpdir() });
  return result.exitCode === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/** The folder `name` of the cache, made by `create` into a fresh folder that is renamed into place when complete. */
export async function cached(name: string, create: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(CACHE_DIR, name);
  if (existsSync(dir)) return dir;
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await create(staging);
  try {
    // Complete folders only ever appear by this rename, so one that exists is complete.
    renameSync(staging, dir);
  } catch {
    // Another run finished the same install first; use theirs.
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** A short hex digest of `text`, for cache keys. */
export function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
