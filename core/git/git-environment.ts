/**
 * Variables of the engine's environment git may see. Everything else (GITHUB_TOKEN, `INPUT_*`, model keys, cloud
 * credentials, the user's own `GIT_*` settings) is left out, so nothing git runs — a hook, a filter, a helper an
 * agent planted — can read a secret from its environment. Proxy and CA settings stay so fetch and push work behind
 * a corporate proxy; HOME (and an explicit `GIT_CONFIG_GLOBAL` / `GIT_CONFIG_SYSTEM` / `GIT_CONFIG_NOSYSTEM`) stays so
 * the user's identity and `safe.directory` still apply: the command-running keys of those files are disarmed like
 * the repository's.
 */
const PASSED_VARIABLES =
  /^(PATH|HOME|USER|LOGNAME|TMPDIR|TMP|TEMP|TZ|LANG|XDG_CONFIG_HOME|GIT_CONFIG_(GLOBAL|SYSTEM|NOSYSTEM)|SYSTEMROOT|WINDIR|COMSPEC|PATHEXT|(HTTPS?|NO|ALL)_PROXY|SSL_CERT_(FILE|DIR))$/i;

/**
 * Configuration every engine git command runs with, given on the command line so it wins over anything in the
 * repository's, the user's or the system's config (which an agent may have written):
 * - no hooks (`post-commit`, `reference-transaction`, `post-checkout`…): they are code from the repository or the
 *   agent, and a failing user hook must not fail a run;
 * - no fsmonitor daemon and no credential helper (both run commands);
 * - never sign: a planted `gpg.program` would run with every commit;
 * - no automatic gc or maintenance in the middle of a run: it would race the run's own writes and stall it.
 */
export const FORCED_CONFIG: readonly (readonly [string, string])[] = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.askPass', ''],
  ['credential.helper', ''],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['protocol.ext.allow', 'never'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
];

/** `-c key=value` arguments for {@link FORCED_CONFIG}. */
export function forcedConfigArgs(): string[] {
  return FORCED_CONFIG.flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

/**
 * The environment of one engine git command: the allowed variables of `processEnv`, then the caller's `extra`
 * (identity, an index file, the push credential for the one command that needs it), with prompts off and a fixed
 * locale so nothing hangs or depends on translated output.
 */
export function gitEnvironment(
  processEnv: NodeJS.ProcessEnv,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(processEnv)) {
    if (value !== undefined && PASSED_VARIABLES.test(name)) env[name] = value;
  }
  return { ...env, ...extra, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

/** Adds `pairs` to the `GIT_CONFIG_COUNT` / `GIT_CONFIG_KEY_n` / `GIT_CONFIG_VALUE_n` entries of `env`. */
export function appendConfigEnv(
  env: NodeJS.ProcessEnv,
  pairs: readonly (readonly [string, string])[],
): NodeJS.ProcessEnv {
  if (pairs.length === 0) return env;
  const start = Number(env.GIT_CONFIG_COUNT ?? '0');
  const out: NodeJS.ProcessEnv = { ...env, GIT_CONFIG_COUNT: String(start + pairs.length) };
  pairs.forEach(([key, value], index) => {
    out[`GIT_CONFIG_KEY_${start + index}`] = key;
    out[`GIT_CONFIG_VALUE_${start + index}`] = value;
  });
  return out;
}
