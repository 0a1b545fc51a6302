import { execFile } from 'node:child_process';
import { z } from 'zod';
import { EnvironmentError } from '../errors/errors.ts';

/**
 * What `claude auth status --json` answers (Claude Code 2.1): whether it can authenticate and how. It covers every
 * method: an API key or token in the environment, a `claude auth login` (credentials in `~/.claude/` or the macOS
 * keychain), an `apiKeyHelper`, Bedrock and Vertex. Fields this code does not read are kept as they come.
 */
export const ClaudeAuthStatusSchema = z.looseObject({
  loggedIn: z.boolean(),
  /** `none`, `api_key`, `api_key_helper`, `oauth_token`, `claude.ai`, `third_party`, … */
  authMethod: z.string(),
  /** `firstParty`, `bedrock`, `vertex`, … */
  apiProvider: z.string().optional(),
});

export type ClaudeAuthStatus = z.infer<typeof ClaudeAuthStatusSchema>;

/** It answers from local files in about a second; anything slower is a broken install. */
const AUTH_STATUS_TIMEOUT_MS = 30_000;
/** Characters of unexpected output quoted in an error. */
const QUOTE_LIMIT = 300;

/**
 * Asks the Claude Code executable whether it is logged in, without a request to the model: runs
 * `<executable> auth status --json` with `env` and parses its answer. Claude Code exits 1 when it is not logged in and
 * still prints the answer, so the exit code is not read. Throws an `EnvironmentError` naming the executable when it
 * cannot be run or answers something else.
 */
export async function readClaudeAuthStatus(
  executable: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = AUTH_STATUS_TIMEOUT_MS,
): Promise<ClaudeAuthStatus> {
  const { stdout, stderr, error } = await new Promise<{
    stdout: string;
    stderr: string;
    error: Error | null;
  }>((resolve) => {
    execFile(
      executable,
      ['auth', 'status', '--json'],
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 1024 * 1024 },
      (failure, out, err) => resolve({ stdout: String(out), stderr: String(err), error: failure }),
    );
  });
  const parsed = ClaudeAuthStatusSchema.safeParse(parseJson(stdout));
  if (parsed.success) return parsed.data;
  const printed = (stdout.trim() || stderr.trim() || error?.message || 'nothing').slice(0, QUOTE_LIMIT);
  throw new EnvironmentError(
    `could not ask Claude Code whether it is logged in: \`${executable} auth status --json\` answered ${JSON.stringify(printed)}; ` +
      'check that this Claude Code runs (`claude --version`), or reinstall claude-cluster',
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
