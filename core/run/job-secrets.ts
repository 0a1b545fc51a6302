import type { Agent, AgentRunResult } from '../agent/agent-contract.ts';
import { runGit } from '../git/run-git.ts';

/**
 * Secrets shorter than this are not looked for: a short value would match ordinary text everywhere. Tokens and keys
 * are far longer.
 */
const MIN_SECRET_LENGTH = 8;
/** Pathspecs per `git grep`, well below any command-line limit. */
const PATHS_PER_GREP = 500;
/** What a secret is replaced with in text the engine writes out (the same mark the Actions runner prints). */
export const REDACTED = '***';

/**
 * The forms of the job's secrets looked for: each value, trimmed, and each line of a multi-line value (the runner
 * masks line by line too), longest first so a secret containing another is replaced whole.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    for (const form of [secret, secret.trim(), ...secret.split(/\r?\n/).map((line) => line.trim())]) {
      if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of a secret replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const form of secretForms(secrets)) out = out.split(form).join(REDACTED);
  return out;
}

/**
 * The first file changed between the commits `from` and `to` whose content at `to` holds a secret (any form of
 * {@link secretForms}), or undefined. Runs `git grep -F` on the changed files only, binary files included.
 */
export async function findCommittedSecret(
  cwd: string,
  from: string,
  to: string,
  secrets: readonly string[],
): Promise<string | undefined> {
  const forms = secretForms(secrets);
  if (forms.length === 0 || from === to) return undefined;
  const diff = await runGit(
    ['diff-tree', '-r', '--no-renames', '--name-only', '--diff-filter=d', '-z', from, to],
    {
      cwd,
    },
  );
  const files = diff.stdout.split('\0').filter(Boolean);
  for (let start = 0; start < files.length; start += PATHS_PER_GREP) {
    const grep = await runGit(
      [
        'grep',
        '-F',
        '-l',
        '-z',
        '--no-color',
        // Patterns on stdin, never on a command line another process could read.
        '-f',
        '-',
        to,
        '--',
        ...files.slice(start, start + PATHS_PER_GREP),
      ],
      // Paths are data, never pathspec magic.
      {
        cwd,
        env: { GIT_LITERAL_PATHSPECS: '1' },
        input: `${forms.filter((form) => !/[\r\n]/.test(form)).join('\n')}\n`,
        okExitCodes: [1],
      },
    );
    const hit = grep.stdout.split('\0').find(Boolean);
    // `git grep <tree>` prints `<tree>:<path>`.
    if (hit !== undefined) return hit.startsWith(`${to}:`) ? hit.slice(to.length + 1) : hit;
  }
  return undefined;
}

/** The agent's result with every secret redacted from what it printed and reported. */
export function redactAgentResult(result: AgentRunResult, secrets: readonly string[]): AgentRunResult {
  if (secrets.length === 0) return result;
  return {
    ...result,
    stdout: redactSecrets(result.stdout, secrets),
    summary: redactSecrets(result.summary, secrets),
    ...(result.error === undefined ? {} : { error: redactSecrets(result.error, secrets) }),
  };
}

/**
 * `agent` with every secret redacted from each run's output (plan, summary, error), in every mode: a planning agent's
 * plan is published on the issue, a resolver's summary goes into the ledger.
 */
export function withRedactedOutput(agent: Agent, secrets: readonly string[]): Agent {
  if (secretForms(secrets).length === 0) return agent;
  return {
    name: agent.name,
    preflight: () => agent.preflight(),
    run: async (input) => redactAgentResult(await agent.run(input), secrets),
  };
}
