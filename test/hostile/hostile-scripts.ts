import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Secrets a job's environment holds, as the engine would see them. */
export const JOB_SECRETS = {
  GITHUB_TOKEN: 'ghs_hostileTestGithubToken0123456789',
  'INPUT_GITHUB-TOKEN': 'ghs_hostileTestGithubToken0123456789',
  ANTHROPIC_API_KEY: 'sk-ant-api03-hostileTestModelKey-0123456789',
} as const;

/** The push credential as `actions/checkout` persists it, given to the engine's git as `GIT_CONFIG_*`. */
export const PUSH_HEADER = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${JOB_SECRETS.GITHUB_TOKEN}`).toString('base64')}`;

/** `GIT_CONFIG_*` environment carrying {@link PUSH_HEADER}, as `takeGitCredentials` returns it. */
export const PUSH_CREDENTIAL_ENV = {
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
  GIT_CONFIG_VALUE_0: PUSH_HEADER,
};

/** Every value that must never show up in what git ran or what the run wrote out. */
export const SECRET_VALUES = [...new Set(Object.values(JOB_SECRETS)), PUSH_HEADER];

/** A folder outside any repository where planted code drops what it saw. */
export interface Loot {
  dir: string;
  /** Names of the files planted code wrote. */
  files(): string[];
  /** Everything planted code wrote, concatenated. */
  text(): string;
  remove(): void;
}

export function createLoot(): Loot {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-loot-'));
  return {
    dir,
    files: () => readdirSync(dir).sort(),
    text: () =>
      readdirSync(dir)
        .map((name) => readFileSync(join(dir, name), 'utf8'))
        .join('\n'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Hooks git runs around the commands an engine uses (commit, ref updates, fetch, push, checkout, merge). */
const PLANTED_HOOKS = [
  'reference-transaction',
  'post-commit',
  'pre-commit',
  'commit-msg',
  'pre-push',
  'post-checkout',
  'post-merge',
  'post-rewrite',
  'pre-auto-gc',
  'post-index-change',
];

/**
 * A command agent (a shell script) that plants code for the engine's next git commands: every hook, an fsmonitor
 * daemon, and a clean filter selected by `.gitattributes`, each dumping its environment into `loot`. It also writes
 * `work.txt`, so there is work to commit.
 */
export function plantingAgent(loot: Loot): string {
  const dumper = (name: string) => `#!/bin/sh\nenv > "${loot.dir}/${name}.$$"\ncat >/dev/null 2>&1 || true\n`;
  const lines = [
    'set -e',
    'common=$(git rev-parse --git-common-dir)',
    'gitdir=$(git rev-parse --git-dir)',
    'for hooks in "$common/hooks" "$gitdir/hooks"; do mkdir -p "$hooks"',
    ...PLANTED_HOOKS.map(
      (hook) => `printf '%s' '${dumper(hook)}' > "$hooks/${hook}"; chmod +x "$hooks/${hook}"`,
    ),
    'done',
    `printf '%s' '${dumper('fsmonitor')}' > "$common/fsmonitor-hook"; chmod +x "$common/fsmonitor-hook"`,
    'git config core.fsmonitor "$common/fsmonitor-hook"',
    `git config filter.evil.clean "sh -c 'env > ${loot.dir}/filter.\\$\\$; cat'"`,
    `git config filter.evil.smudge "sh -c 'env > ${loot.dir}/smudge.\\$\\$; cat'"`,
    'git config filter.evil.required true',
    `git config merge.evil.driver "sh -c 'env > ${loot.dir}/merge.\\$\\$; exit 1'"`,
    `printf '* filter=evil merge=evil\\n' > .gitattributes`,
    'echo work > work.txt',
  ];
  return lines.join('\n');
}

/** Writes `script` to an executable file and returns the command line that runs it. */
export function scriptAgent(script: string): { command: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-hostile-agent-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'agent.sh');
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return { command: `"${path}"`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Agent script lines that start two daemons which leave the agent's process group and record their ids in `loot`:
 * one with `setsid` (it keeps the agent's stdout open), one with `env -i setsid` (no environment at all), working
 * inside the agent's directory.
 */
export function escapingDaemons(loot: Loot): string {
  return [
    `setsid sleep 300 & echo $! > "${loot.dir}/daemon-setsid.pid"`,
    `env -i setsid sleep 301 >/dev/null 2>&1 & echo $! > "${loot.dir}/daemon-env-i.pid"`,
    `(setsid sh -c 'sleep 302' >/dev/null 2>&1 &) ; sleep 0.2`,
    'echo work > work.txt',
  ].join('\n');
}

/** The ids the daemons of {@link escapingDaemons} recorded. */
export function daemonPids(loot: Loot): number[] {
  return loot
    .files()
    .filter((name) => name.endsWith('.pid'))
    .map((name) => Number(readFileSync(join(loot.dir, name), 'utf8').trim()));
}

/** True while `pid` runs (zombies count as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return false;
  }
}

/** Kills what a failing test left running. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
