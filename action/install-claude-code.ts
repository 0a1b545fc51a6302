import { constants } from 'node:fs';
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { runProcessGroup } from '../core/agent/run-process-group.ts';
import { EnvironmentError, InputError } from '../core/errors/errors.ts';
import { AGENT_SDK_PACKAGE, findAgentSdkEntry } from './find-agent-sdk-entry.ts';

/** The npm package of the Claude Code CLI. */
export const CLAUDE_CODE_PACKAGE = '@anthropic-ai/claude-code';
export { AGENT_SDK_PACKAGE };
/**
 * The agent SDK version the action installs: the one the bundle's code is written and tested against. It equals the
 * `@anthropic-ai/claude-agent-sdk` dependency in package.json (a test checks that they agree).
 */
export const PINNED_AGENT_SDK_VERSION = '0.3.330';

/**
 * A cache of installed files across jobs. The action adapts `@actions/cache`:
 * `{ restore: (paths, key) => restoreCache(paths, key), save: async (paths, key) => { await saveCache(paths, key) } }`.
 */
export interface ToolCache {
  /** Restores `paths` saved under `key`; resolves to the key on a hit, undefined on a miss. */
  restore(paths: string[], key: string): Promise<string | undefined>;
  /** Saves `paths` under `key`. */
  save(paths: string[], key: string): Promise<void>;
}

/** How to install Claude Code. */
export interface InstallClaudeCodeOptions {
  /** Exact version, e.g. `2.1.330` (the `claude-code-version` input). */
  version: string;
  /** Exact agent SDK version installed beside the CLI; `PINNED_AGENT_SDK_VERSION` by default. */
  agentSdkVersion?: string;
  /** Directory holding one folder per installed pair of versions (e.g. `$RUNNER_TOOL_CACHE/claude-code`). */
  toolDir: string;
  /** Cross-job cache; its failures are warnings, never failures. */
  cache?: ToolCache;
  /** Receives warnings: cache problems and failed attempts that are retried. */
  warn?: (message: string) => void;
  /** The npm command line (run through `/bin/sh`); `npm` by default. */
  npmCommand?: string;
  /** Time one install attempt may take before its whole process group is stopped; 180 s by default. */
  timeoutMs?: number;
  /** Attempts after the first; 2 by default. */
  retries?: number;
  /** Wait before the first retry, doubled for each further one; 5 s by default. */
  retryDelayMs?: number;
  /** Environment of npm and of the version check; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/** An installed, verified Claude Code CLI and agent SDK. */
export interface InstalledClaudeCode {
  /** Path to pass as `pathToClaudeCodeExecutable`. */
  executable: string;
  /** Absolute path of the agent SDK's ES module entry (its `exports['.']`), to import at run time. */
  agentSdkEntry: string;
  /** True when an earlier install (in `toolDir` or the cache) was reused. */
  fromCache: boolean;
}

const DEFAULT_TIMEOUT_MS = 180_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 5_000;
/** `claude --version` answers at once; anything slower is a broken install. */
const VERSION_CHECK_TIMEOUT_MS = 30_000;
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const PRINTED_VERSION = /\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/;
const FIX =
  'check that the runner can reach the npm registry, or pin claude-code-version to a published version';

/**
 * The cache key of one CLI and SDK pair on this machine's platform and architecture (the CLI is a native binary).
 * Both versions are in it: a cache entry is never overwritten, so an entry without the SDK must not match.
 */
export function claudeCodeCacheKey(version: string, agentSdkVersion = PINNED_AGENT_SDK_VERSION): string {
  return `claude-code-${version}-agent-sdk-${agentSdkVersion}-${process.platform}-${process.arch}`;
}

/** The folder under `toolDir` holding one CLI and SDK pair. */
export function claudeCodeInstallDir(
  toolDir: string,
  version: string,
  agentSdkVersion = PINNED_AGENT_SDK_VERSION,
): string {
  return join(toolDir, `${version}-agent-sdk-${agentSdkVersion}`);
}

/**
 * Installs `@anthropic-ai/claude-code@<version>` and `@anthropic-ai/claude-agent-sdk@<agentSdkVersion>` from the npm
 * registry into `<toolDir>/<version>-agent-sdk-<agentSdkVersion>` with one
 * `npm install --no-save --no-audit --no-fund --omit=peer --prefix …` (never a piped install script) and returns the
 * CLI's executable, checked by running `<executable> --version`, and the SDK's entry, checked by its manifest's
 * version. A working install already in that folder or in the cache is reused. Each attempt is bounded by `timeoutMs` (the whole npm process group is stopped) and
 * failed attempts are retried with backoff; a fresh install is saved to the cache.
 *
 * Throws an `InputError` for a version that is not exact, and an `EnvironmentError` naming the version, the last
 * error and the fix when every attempt failed or the CLI reports another version.
 */
export async function installClaudeCode(options: InstallClaudeCodeOptions): Promise<InstalledClaudeCode> {
  const { version, cache, warn = () => {} } = options;
  const agentSdkVersion = options.agentSdkVersion ?? PINNED_AGENT_SDK_VERSION;
  if (!EXACT_VERSION.test(version)) {
    throw new InputError(`\`claude-code-version\` \`${version}\` is not an exact version`, [
      'give a published version like 2.1.330; ranges and tags would install different CLIs on different jobs',
    ]);
  }
  if (!EXACT_VERSION.test(agentSdkVersion)) {
    throw new InputError(`the agent SDK version \`${agentSdkVersion}\` is not an exact version`, [
      'pin a published version like 0.3.330',
    ]);
  }
  const versions = { cli: version, sdk: agentSdkVersion };
  const prefix = claudeCodeInstallDir(options.toolDir, version, agentSdkVersion);
  const env = options.env ?? process.env;

  const present = await checkInstall(prefix, versions, env);
  if (present.ok) return { ...present.install, fromCache: true };

  const key = claudeCodeCacheKey(version, agentSdkVersion);
  if (cache !== undefined) {
    const restored = await restoreFromCache(cache, prefix, key, versions, env, warn);
    if (restored !== undefined) return { ...restored, fromCache: true };
  }

  const installed = await installWithRetries(options, prefix, versions, env, warn);
  if (cache !== undefined) {
    try {
      await cache.save([prefix], key);
    } catch (error) {
      warn(
        `could not save Claude Code ${version} to the cache (key ${key}): ${messageOf(error)}; the next job installs it again`,
      );
    }
  }
  return { ...installed, fromCache: false };
}

/** The versions of one install. */
interface Versions {
  cli: string;
  sdk: string;
}

/** What a verified install offers. */
type Install = Pick<InstalledClaudeCode, 'executable' | 'agentSdkEntry'>;

async function restoreFromCache(
  cache: ToolCache,
  prefix: string,
  key: string,
  versions: Versions,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): Promise<Install | undefined> {
  const version = versions.cli;
  let hit: string | undefined;
  try {
    hit = await cache.restore([prefix], key);
  } catch (error) {
    warn(
      `could not restore Claude Code ${version} from the cache (key ${key}): ${messageOf(error)}; installing it from the npm registry`,
    );
    return undefined;
  }
  if (hit === undefined) return undefined;
  const restored = await checkInstall(prefix, versions, env);
  if (restored.ok) return restored.install;
  warn(
    `the cache entry ${key} holds no working Claude Code ${version} (${restored.reason}); installing it from the npm registry`,
  );
  return undefined;
}

async function installWithRetries(
  options: InstallClaudeCodeOptions,
  prefix: string,
  versions: Versions,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): Promise<Install> {
  const version = versions.cli;
  const attempts = (options.retries ?? DEFAULT_RETRIES) + 1;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const command = [
    options.npmCommand ?? 'npm',
    'install',
    '--no-save',
    '--no-audit',
    '--no-fund',
    // The SDK's entry is self-contained; its peer dependencies (the Anthropic and MCP SDKs, zod) are never loaded.
    '--omit=peer',
    '--prefix',
    shellQuote(prefix),
    shellQuote(`${CLAUDE_CODE_PACKAGE}@${version}`),
    shellQuote(`${AGENT_SDK_PACKAGE}@${versions.sdk}`),
  ].join(' ');
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) {
      const delayMs = (options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * 2 ** (attempt - 2);
      warn(
        `installing Claude Code ${version} failed (attempt ${attempt - 1} of ${attempts}): ${lastError}; retrying in ${Math.round(delayMs / 1000)} s`,
      );
      await sleep(delayMs);
    }
    // A half-written prefix from an earlier attempt or job must not be mistaken for an install.
    await rm(prefix, { recursive: true, force: true });
    await mkdir(prefix, { recursive: true });
    const outcome = await runProcessGroup({
      command,
      cwd: prefix,
      env,
      stdin: '',
      outputLimit: 0,
      timeoutMs,
    });
    if (outcome.timedOut) {
      lastError = `npm install did not finish within ${formatSeconds(timeoutMs)} and was stopped`;
      continue;
    }
    if (outcome.spawnError !== undefined || outcome.exitCode !== 0) {
      const how = outcome.spawnError?.message ?? `exit ${outcome.exitCode ?? outcome.exitSignal}`;
      lastError = `npm install failed (${how}): ${lastLines(outcome.stderrTail || outcome.stdoutTail)}`;
      continue;
    }
    const installed = await checkInstall(prefix, versions, env);
    if (installed.ok) return installed.install;
    if (installed.printedVersion !== undefined) {
      await rm(prefix, { recursive: true, force: true });
      // The registry answered with a package that says it is another version: retrying cannot help.
      throw new EnvironmentError(
        `Claude Code ${version} was installed from the npm registry, but \`claude --version\` printed ` +
          `${installed.printedVersion}; ${FIX}`,
      );
    }
    lastError = installed.reason;
  }
  await rm(prefix, { recursive: true, force: true });
  throw new EnvironmentError(
    `could not install Claude Code ${version} (${CLAUDE_CODE_PACKAGE}@${version} with ` +
      `${AGENT_SDK_PACKAGE}@${versions.sdk}) after ${attempts} ` +
      `attempt${attempts === 1 ? '' : 's'}; last error: ${lastError}; ${FIX}`,
  );
}

type InstallCheck = { ok: true; install: Install } | { ok: false; reason: string; printedVersion?: string };

/**
 * Finds the executable under `prefix` and checks that it runs and prints the CLI's version, then finds the agent
 * SDK's entry and checks its manifest's version.
 */
async function checkInstall(
  prefix: string,
  versions: Versions,
  env: NodeJS.ProcessEnv,
): Promise<InstallCheck> {
  const version = versions.cli;
  const executable = await findExecutable(prefix);
  if (executable === undefined) {
    return { ok: false, reason: `no \`claude\` executable under ${join(prefix, 'node_modules')}` };
  }
  const outcome = await runProcessGroup({
    command: `${shellQuote(executable)} --version`,
    cwd: prefix,
    env,
    stdin: '',
    outputLimit: 4096,
    timeoutMs: VERSION_CHECK_TIMEOUT_MS,
  });
  if (outcome.timedOut || outcome.spawnError !== undefined || outcome.exitCode !== 0) {
    const how = outcome.timedOut
      ? 'timed out'
      : (outcome.spawnError?.message ?? `exit ${outcome.exitCode ?? outcome.exitSignal}`);
    return {
      ok: false,
      reason: `\`${executable} --version\` failed (${how}): ${lastLines(outcome.stderrTail)}`,
    };
  }
  const printed = PRINTED_VERSION.exec(outcome.stdout)?.[0];
  if (printed === version) {
    const sdk = await findAgentSdkEntry(
      join(prefix, 'node_modules', ...AGENT_SDK_PACKAGE.split('/')),
      versions.sdk,
    );
    return 'entry' in sdk ? { ok: true, install: { executable, agentSdkEntry: sdk.entry } } : sdk;
  }
  return {
    ok: false,
    reason: `\`${executable} --version\` printed ${printed ?? `no version (${lastLines(outcome.stdout)})`}, not ${version}`,
    ...(printed === undefined ? {} : { printedVersion: printed }),
  };
}

const PackageBinSchema = z.object({
  bin: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
});

/** `node_modules/.bin/claude`, else the package's own `bin` entry (when npm made no links). */
async function findExecutable(prefix: string): Promise<string | undefined> {
  const modules = join(prefix, 'node_modules');
  const candidates = [join(modules, '.bin', 'claude')];
  const packageDir = join(modules, ...CLAUDE_CODE_PACKAGE.split('/'));
  try {
    const { bin } = PackageBinSchema.parse(
      JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')),
    );
    const entry = typeof bin === 'string' ? bin : bin?.claude;
    if (entry !== undefined) candidates.push(join(packageDir, entry));
  } catch {
    // No package or an unreadable manifest: only the link can help.
  }
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable; try the next one.
    }
  }
  return undefined;
}

/** Quotes one word for `/bin/sh`. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function lastLines(text: string, count = 5): string {
  const lines = text.trim().split('\n').slice(-count).join(' | ');
  return lines === '' ? 'no output' : lines;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
