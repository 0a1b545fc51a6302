import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claudeCodeCacheKey,
  claudeCodeInstallDir,
  type InstallClaudeCodeOptions,
  installClaudeCode,
  type ToolCache,
} from '../../action/install-claude-code.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';

const REAL_PACKAGE = resolve(import.meta.dirname, '../../node_modules/@anthropic-ai/claude-code');
const REAL_SDK = resolve(import.meta.dirname, '../../node_modules/@anthropic-ai/claude-agent-sdk');

/**
 * Stands in for npm: records its arguments, then behaves as FAKE_NPM_MODE says. By default it "installs" a
 * `claude` that prints the requested version, like the real package's bin link, and an agent SDK package whose
 * manifest names the requested version and its entry.
 */
const FAKE_NPM = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_NPM_LOG"
prefix=""; cli=""; sdk=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    @anthropic-ai/claude-code@*) cli="$1"; shift ;;
    @anthropic-ai/claude-agent-sdk@*) sdk="$1"; shift ;;
    *) shift ;;
  esac
done
version="\${cli##*@}"
sdk_version="\${sdk##*@}"
attempt=$(wc -l < "$FAKE_NPM_LOG")
sdk_dir="$prefix/node_modules/@anthropic-ai/claude-agent-sdk"
case "$FAKE_NPM_MODE" in
  hang) sleep 60 & echo $! > "$FAKE_NPM_PIDFILE"; wait; exit 0 ;;
  fail) echo "npm error code E404 $cli is not in this registry" >&2; exit 1 ;;
  flaky) if [ "$attempt" -le "$FAKE_NPM_FAILURES" ]; then echo "npm error network ETIMEDOUT" >&2; exit 1; fi ;;
  wrong-version) version="9.9.9" ;;
  wrong-sdk-version) sdk_version="0.0.1" ;;
  no-bin) mkdir -p "$prefix/node_modules"; exit 0 ;;
  real)
    pkg="$prefix/node_modules/@anthropic-ai/claude-code"
    mkdir -p "$pkg/bin" "$prefix/node_modules/.bin"
    cp "$FAKE_NPM_SOURCE/package.json" "$pkg/package.json"
    cp -l "$FAKE_NPM_SOURCE/bin/claude.exe" "$pkg/bin/claude.exe" 2>/dev/null || cp "$FAKE_NPM_SOURCE/bin/claude.exe" "$pkg/bin/claude.exe"
    ln -s ../@anthropic-ai/claude-code/bin/claude.exe "$prefix/node_modules/.bin/claude"
    cp -r "$FAKE_NPM_SDK_SOURCE" "$sdk_dir"
    exit 0 ;;
esac
mkdir -p "$prefix/node_modules/.bin"
printf '#!/bin/sh\\necho "%s (Claude Code)"\\n' "$version" > "$prefix/node_modules/.bin/claude"
chmod +x "$prefix/node_modules/.bin/claude"
if [ "$FAKE_NPM_MODE" != "no-sdk" ]; then
  mkdir -p "$sdk_dir"
  printf '{"version":"%s","exports":{".":{"types":"./sdk.d.ts","default":"./sdk.mjs"}}}' "$sdk_version" > "$sdk_dir/package.json"
  echo 'export function query() {}' > "$sdk_dir/sdk.mjs"
fi
`;

let dir: string;
let toolDir: string;
/** Where the pinned CLI and SDK pair is installed. */
let installDir: string;
let npmLog: string;
let warnings: string[];

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'install-claude-')));
  toolDir = join(dir, 'tools');
  installDir = claudeCodeInstallDir(toolDir, '2.1.330', '0.3.330');
  npmLog = join(dir, 'npm.log');
  warnings = [];
  await writeFile(join(dir, 'fake-npm.sh'), FAKE_NPM);
  await writeFile(npmLog, '');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function install(overrides: Partial<InstallClaudeCodeOptions> = {}, fakeEnv: Record<string, string> = {}) {
  return installClaudeCode({
    version: '2.1.330',
    agentSdkVersion: '0.3.330',
    toolDir,
    npmCommand: `sh '${join(dir, 'fake-npm.sh')}'`,
    retryDelayMs: 1,
    warn: (message) => warnings.push(message),
    env: { ...process.env, FAKE_NPM_LOG: npmLog, ...fakeEnv },
    ...overrides,
  });
}

async function npmCalls(): Promise<string[]> {
  return (await readFile(npmLog, 'utf8')).split('\n').filter(Boolean);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the install to fail, but it succeeded');
}

/** A cache kept in a folder of the test, like @actions/cache keeps archives. */
function folderCache(store: string): ToolCache & { saved: string[]; restored: string[] } {
  const saved: string[] = [];
  const restored: string[] = [];
  return {
    saved,
    restored,
    async restore(paths, key) {
      restored.push(key);
      if (!existsSync(join(store, key))) return undefined;
      for (const [index, path] of paths.entries())
        await cp(join(store, key, String(index)), path, { recursive: true });
      return key;
    },
    async save(paths, key) {
      saved.push(key);
      for (const [index, path] of paths.entries()) {
        await cp(path, join(store, key, String(index)), { recursive: true, verbatimSymlinks: true });
      }
    },
  };
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('installClaudeCode', () => {
  describe('on a fresh runner', () => {
    it('installs the exact CLI and agent SDK versions from the npm registry in one npm call and returns the executable and the SDK entry', async () => {
      const installed = await install();

      expect(installed).toEqual({
        executable: join(installDir, 'node_modules', '.bin', 'claude'),
        agentSdkEntry: join(installDir, 'node_modules', '@anthropic-ai', 'claude-agent-sdk', 'sdk.mjs'),
        fromCache: false,
      });
      expect(installDir).toBe(join(toolDir, '2.1.330-agent-sdk-0.3.330'));
      expect(await npmCalls()).toEqual([
        `install --no-save --no-audit --no-fund --omit=peer --prefix ${installDir} @anthropic-ai/claude-code@2.1.330 @anthropic-ai/claude-agent-sdk@0.3.330`,
      ]);
      expect(warnings).toEqual([]);
    });
  });

  describe('when the install folder already holds a working CLI and SDK', () => {
    it('reuses it without calling npm', async () => {
      await install();
      const again = await install();

      expect(again.fromCache).toBe(true);
      expect(again.executable).toBe(join(installDir, 'node_modules', '.bin', 'claude'));
      expect(await npmCalls()).toHaveLength(1);
    });
  });

  describe('when the install folder holds a CLI of another version', () => {
    it('installs again over it', async () => {
      await mkdir(join(installDir, 'node_modules', '.bin'), { recursive: true });
      await writeFile(join(installDir, 'node_modules', '.bin', 'claude'), '#!/bin/sh\necho "2.0.0"\n', {
        mode: 0o755,
      });

      const installed = await install();

      expect(installed.fromCache).toBe(false);
      expect(await npmCalls()).toHaveLength(1);
      expect(execFileSync(installed.executable, ['--version'], { encoding: 'utf8' })).toContain('2.1.330');
    });
  });

  describe('when the installed CLI reports another version', () => {
    it('fails at once, naming both versions and the fix, and leaves no install behind', async () => {
      const error = await rejection(install({}, { FAKE_NPM_MODE: 'wrong-version' }));

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain('Claude Code 2.1.330 was installed');
      expect(error.message).toContain('printed 9.9.9');
      expect(error.message).toContain('pin claude-code-version to a published version');
      expect(await npmCalls()).toHaveLength(1);
      expect(existsSync(installDir)).toBe(false);
    });
  });

  describe('when npm installs no agent SDK', () => {
    it('reports the missing SDK as the last error', async () => {
      const error = await rejection(install({ retries: 0 }, { FAKE_NPM_MODE: 'no-sdk' }));

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain('no readable @anthropic-ai/claude-agent-sdk under');
    });
  });

  describe('when the install folder holds an agent SDK of another version', () => {
    it('installs again over it', async () => {
      await install();
      const manifest = join(installDir, 'node_modules/@anthropic-ai/claude-agent-sdk/package.json');
      await writeFile(
        manifest,
        JSON.stringify({ version: '0.0.1', exports: { '.': { default: './sdk.mjs' } } }),
      );
      await writeFile(npmLog, '');

      const installed = await install();

      expect(installed.fromCache).toBe(false);
      expect(await npmCalls()).toHaveLength(1);
      expect(JSON.parse(await readFile(manifest, 'utf8'))).toMatchObject({ version: '0.3.330' });
    });
  });

  describe('when npm installs an agent SDK of another version', () => {
    it('fails naming both versions', async () => {
      const error = await rejection(install({ retries: 0 }, { FAKE_NPM_MODE: 'wrong-sdk-version' }));

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain('is 0.0.1, not 0.3.330');
    });
  });

  describe('when npm installs no claude executable', () => {
    it('reports the missing executable as the last error', async () => {
      const error = await rejection(install({ retries: 0 }, { FAKE_NPM_MODE: 'no-bin' }));

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain('no `claude` executable under');
    });
  });

  describe('when npm hangs', () => {
    it('stops the whole npm process group after the timeout and says so', async () => {
      const pidFile = join(dir, 'npm-child.pid');
      const startedAt = Date.now();

      const error = await rejection(
        install({ timeoutMs: 300, retries: 0 }, { FAKE_NPM_MODE: 'hang', FAKE_NPM_PIDFILE: pidFile }),
      );

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain('npm install did not finish within 300 ms and was stopped');
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      const childPid = Number(await readFile(pidFile, 'utf8'));
      expect(isRunning(childPid)).toBe(false);
    });
  });

  describe('when npm fails and then succeeds', () => {
    it('retries with a warning per failed attempt and returns the install', async () => {
      const installed = await install({ retries: 2 }, { FAKE_NPM_MODE: 'flaky', FAKE_NPM_FAILURES: '2' });

      expect(installed.fromCache).toBe(false);
      expect(await npmCalls()).toHaveLength(3);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain('attempt 1 of 3');
      expect(warnings[0]).toContain('ETIMEDOUT');
    });
  });

  describe('when every attempt fails', () => {
    it('throws an EnvironmentError naming the version, the last error and the fix', async () => {
      const error = await rejection(install({ retries: 2 }, { FAKE_NPM_MODE: 'fail' }));

      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error.message).toContain(
        'could not install Claude Code 2.1.330 (@anthropic-ai/claude-code@2.1.330 with @anthropic-ai/claude-agent-sdk@0.3.330)',
      );
      expect(error.message).toContain('after 3 attempts');
      expect(error.message).toContain('npm error code E404');
      expect(error.message).toContain(
        'check that the runner can reach the npm registry, or pin claude-code-version to a published version',
      );
      expect(await npmCalls()).toHaveLength(3);
      expect(existsSync(installDir)).toBe(false);
    });
  });

  describe('with a version that is not exact', () => {
    it.each(['latest', '^2.1.0', '2.1', "2.1.330' ; rm -rf ~"])(
      'refuses `%s` before running npm',
      async (version) => {
        const error = await rejection(install({ version }));

        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toContain('is not an exact version');
        expect(await npmCalls()).toEqual([]);
      },
    );
  });

  describe('with a cache', () => {
    it('uses a key naming both versions, the platform and the architecture', () => {
      expect(claudeCodeCacheKey('2.1.330', '0.3.330')).toBe(
        `claude-code-2.1.330-agent-sdk-0.3.330-${process.platform}-${process.arch}`,
      );
    });

    describe('on a miss', () => {
      it('installs from npm and saves the install under the key', async () => {
        const cache = folderCache(join(dir, 'cache'));

        const installed = await install({ cache });

        expect(installed.fromCache).toBe(false);
        expect(cache.restored).toEqual([claudeCodeCacheKey('2.1.330', '0.3.330')]);
        expect(cache.saved).toEqual([claudeCodeCacheKey('2.1.330', '0.3.330')]);
        expect(await npmCalls()).toHaveLength(1);
      });
    });

    describe('on a hit', () => {
      it('restores the CLI without calling npm', async () => {
        const cache = folderCache(join(dir, 'cache'));
        await install({ cache });
        await rm(toolDir, { recursive: true, force: true });
        await writeFile(npmLog, '');

        const installed = await install({ cache });

        expect(installed).toEqual({
          executable: join(installDir, 'node_modules', '.bin', 'claude'),
          agentSdkEntry: join(installDir, 'node_modules', '@anthropic-ai', 'claude-agent-sdk', 'sdk.mjs'),
          fromCache: true,
        });
        expect(await npmCalls()).toEqual([]);
        expect(cache.saved).toHaveLength(1);
      });
    });

    describe('on a hit that holds a broken CLI', () => {
      it('warns and installs from npm', async () => {
        const cache: ToolCache = {
          restore: async (paths, key) => {
            await mkdir(join(paths[0] ?? '', 'node_modules'), { recursive: true });
            return key;
          },
          save: async () => {},
        };

        const installed = await install({ cache });

        expect(installed.fromCache).toBe(false);
        expect(warnings).toEqual([expect.stringContaining('holds no working Claude Code 2.1.330')]);
      });
    });

    describe('that fails', () => {
      it('warns about the restore and the save and still installs', async () => {
        const cache: ToolCache = {
          restore: async () => {
            throw new Error('Cache service responded with 503');
          },
          save: async () => {
            throw new Error('Unable to reserve cache with key');
          },
        };

        const installed = await install({ cache });

        expect(installed.fromCache).toBe(false);
        expect(warnings).toEqual([
          expect.stringContaining('could not restore Claude Code 2.1.330 from the cache'),
          expect.stringContaining('could not save Claude Code 2.1.330 to the cache'),
        ]);
        expect(warnings[0]).toContain('Cache service responded with 503');
        expect(warnings[1]).toContain('Unable to reserve cache with key');
      });
    });
  });

  describe('with the real Claude Code package', () => {
    it('installs the CLI and SDK of node_modules offline, verifies that the CLI prints 2.1.330 and finds the SDK entry its exports name', async () => {
      const installed = await install(
        {},
        { FAKE_NPM_MODE: 'real', FAKE_NPM_SOURCE: REAL_PACKAGE, FAKE_NPM_SDK_SOURCE: REAL_SDK },
      );

      expect(installed.fromCache).toBe(false);
      expect(installed.executable).toBe(join(installDir, 'node_modules', '.bin', 'claude'));
      expect(execFileSync(installed.executable, ['--version'], { encoding: 'utf8' })).toMatch(/^2\.1\.330 /);
      expect(installed.agentSdkEntry).toBe(
        join(installDir, 'node_modules/@anthropic-ai/claude-agent-sdk/sdk.mjs'),
      );
      const again = await install({ version: '2.1.330' });
      expect(again.fromCache).toBe(true);
    });

    it('refuses it when another version was asked for', async () => {
      const error = await rejection(
        install(
          { version: '2.1.331' },
          { FAKE_NPM_MODE: 'real', FAKE_NPM_SOURCE: REAL_PACKAGE, FAKE_NPM_SDK_SOURCE: REAL_SDK },
        ),
      );

      expect(error.message).toContain('printed 2.1.330');
    });
  });
});
