import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRunInput } from '../../core/agent/agent-contract.ts';
import { createCommandAgent } from '../../core/agent/command-agent.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';

const STUB = resolve(import.meta.dirname, '../stub-agent/stub-agent.ts');
const stubCommand = `'${process.execPath}' '${STUB}'`;

let dir: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'command-agent-')));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function input(overrides: Partial<AgentRunInput> = {}): AgentRunInput {
  return {
    mode: 'task',
    cwd: dir,
    prompt: '',
    runId: 'run-1',
    taskId: 'api',
    taskTitle: 'Add the API',
    ...overrides,
  };
}

/** Running means alive and not a zombie (this container's init does not reap orphans). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitForFile(path: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 25) {
    if (existsSync(path)) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`${path} never appeared`);
}

function printedPid(stdout: string, prefix: string): number {
  const match = new RegExp(`^${prefix} (\\d+)$`, 'm').exec(stdout);
  expect(match, `stdout should name the ${prefix}: ${stdout}`).not.toBeNull();
  return Number(match![1]);
}

describe('createCommandAgent', () => {
  describe('with an empty command', () => {
    it('refuses it and shows how to pass one', () => {
      expect(() => createCommandAgent('  ')).toThrow(InputError);
      expect(() => createCommandAgent('')).toThrow(/--agent "my-agent --headless"/);
    });
  });

  describe('with an output limit that is not a positive whole number', () => {
    it('refuses it', () => {
      expect(() => createCommandAgent('x', { outputLimit: 0 })).toThrow(
        'the agent output limit must be a whole number of bytes above 0 (got 0); leave it out for 1 MiB',
      );
    });
  });

  it('is named after its command', () => {
    expect(createCommandAgent('my-agent --fast').name).toBe('my-agent --fast');
  });

  describe('running an agent that exits 0', () => {
    it('delivers the prompt on stdin and keeps the files it wrote', async () => {
      const result = await createCommandAgent(stubCommand).run(
        input({ prompt: 'Do this.\n@write src/out.txt = hello\\nworld\n' }),
      );
      expect(result).toMatchObject({ ok: true, exitCode: 0, timedOut: false, aborted: false });
      expect(result.error).toBeUndefined();
      expect(await readFile(join(dir, 'src/out.txt'), 'utf8')).toBe('hello\nworld\n');
    });

    it('reads summary, cost and turns from a final cluster_result line', async () => {
      const result = await createCommandAgent(stubCommand).run(input({ prompt: '@write a.txt = a\n' }));
      expect(result).toMatchObject({ summary: 'made 1 edit(s)', costUsd: 0, turns: 1 });
    });

    it('passes the CLUSTER_* variables and runs in the given directory', async () => {
      const command =
        'printf "%s|%s|%s|%s|%s|%s\\n" "$CLUSTER_RUN_ID" "$CLUSTER_TASK_ID" "$CLUSTER_TASK_TITLE" "$CLUSTER_MODE" "$CLUSTER_BUDGET_USD" "$(pwd)"';
      const result = await createCommandAgent(command).run(input({ mode: 'resolve', budgetUsd: 1.5 }));
      expect(result.stdout).toBe(`run-1|api|Add the API|resolve|1.5|${dir}\n`);
    });

    it('keeps the rest of the environment but never a stale CLUSTER_TASK_ID in plan mode', async () => {
      const env = { ...process.env, CLUSTER_TASK_ID: 'stale', MY_SETTING: 'kept' };
      const command = 'echo "task=[$CLUSTER_TASK_ID] mode=$CLUSTER_MODE setting=$MY_SETTING"';
      const result = await createCommandAgent(command, { env }).run(
        input({ mode: 'plan', taskId: undefined, taskTitle: undefined }),
      );
      expect(result.stdout).toBe('task=[] mode=plan setting=kept\n');
    });

    it('summarizes with the last non-empty output lines when there is no cluster_result line', async () => {
      const result = await createCommandAgent('echo first; echo; echo "changed the parser"; echo').run(
        input(),
      );
      expect(result.summary).toBe('first\nchanged the parser');
      expect((await createCommandAgent('true').run(input())).summary).toBe('');
    });

    it('caps a long summary at 500 characters, keeping the end', async () => {
      const result = await createCommandAgent(`printf 'x%.0s' $(seq 1 900); echo END`).run(input());
      expect(result.summary).toHaveLength(500);
      expect(result.summary.endsWith('END')).toBe(true);
    });

    it('succeeds even when the agent never reads its (large) prompt', async () => {
      const result = await createCommandAgent('exit 0').run(input({ prompt: 'y'.repeat(4 * 1024 * 1024) }));
      expect(result).toMatchObject({ ok: true, exitCode: 0 });
    });

    it('stops processes the agent left running in the background', async () => {
      const result = await createCommandAgent('sleep 30 & echo "stray $!"').run(input());
      expect(result.ok).toBe(true);
      expect(isRunning(printedPid(result.stdout, 'stray'))).toBe(false);
    });
  });

  describe('when the output is larger than the limit', () => {
    it('keeps the head of stdout, says how much was dropped, and still reads the final report', async () => {
      const command = `printf 'a%.0s' $(seq 1 5000); echo; echo '{"cluster_result":{"summary":"big","turns":2}}'`;
      const result = await createCommandAgent(command, { outputLimit: 1000 }).run(input());
      expect(result.stdout.startsWith('a'.repeat(1000))).toBe(true);
      expect(result.stdout).not.toContain('a'.repeat(1001));
      expect(result.stdout).toContain('4048 more bytes of stdout were not kept');
      expect(result).toMatchObject({ ok: true, summary: 'big', turns: 2 });
    });
  });

  describe('when the agent fails', () => {
    it('names the command, the exit code and the end of stderr', async () => {
      const result = await createCommandAgent('echo noise >&2; echo "no credentials" >&2; exit 3').run(
        input(),
      );
      expect(result).toMatchObject({ ok: false, exitCode: 3 });
      expect(result.error).toBe(
        'agent `echo noise >&2; echo "no credentials" >&2; exit 3` exited 3: noise | no credentials',
      );
    });

    it('keeps the edits made before the failure', async () => {
      const result = await createCommandAgent(stubCommand).run(
        input({ prompt: '@write done.txt = done\n@fail cannot reach the database\n@write never.txt = x\n' }),
      );
      expect(result.ok).toBe(false);
      expect(result.error).toContain('exited 1: cannot reach the database');
      expect(await readFile(join(dir, 'done.txt'), 'utf8')).toBe('done\n');
      await expect(readFile(join(dir, 'never.txt'), 'utf8')).rejects.toThrow();
    });

    it('says when the command does not exist', async () => {
      const result = await createCommandAgent('no-such-agent-4711 --go').run(input());
      expect(result).toMatchObject({ ok: false, exitCode: 127 });
      expect(result.error).toMatch(/^agent command `no-such-agent-4711 --go` was not found \(exit 127\)/);
    });

    it('says which signal killed it', async () => {
      const result = await createCommandAgent('kill -9 $$').run(input());
      expect(result).toMatchObject({ ok: false, exitCode: null, timedOut: false });
      expect(result.error).toBe('agent `kill -9 $$` was killed by SIGKILL');
    });

    it('refuses a malformed cluster_result line even after exit 0', async () => {
      const result = await createCommandAgent(`echo '{"cluster_result":{"cost_usd":"lots"}}'`).run(input());
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/exited 0 but its last line is a `cluster_result` report .*cost_usd/);
    });

    it('says when its working directory does not exist', async () => {
      const missing = join(dir, 'gone');
      const result = await createCommandAgent('true').run(input({ cwd: missing }));
      expect(result).toMatchObject({ ok: false, exitCode: null });
      expect(result.error).toBe(
        `agent \`true\` could not start: its working directory ${missing} does not exist`,
      );
    });
  });

  describe('with a timeout', () => {
    it('stops the whole process group, grandchildren included', async () => {
      const started = Date.now();
      const result = await createCommandAgent(stubCommand).run(
        input({ prompt: '@child-sleep 30\n', timeoutMs: 1000 }),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result).toMatchObject({ ok: false, timedOut: true, aborted: false });
      expect(result.error).toBe(`agent \`${stubCommand}\` timed out after 1 s and was stopped`);
      expect(isRunning(printedPid(result.stdout, 'child-pid'))).toBe(false);
    });

    it('keeps the files written before the timeout', async () => {
      const result = await createCommandAgent(stubCommand).run(
        input({
          prompt: '@write partial.txt = first half\n@sleep 30\n@write rest.txt = never\n',
          timeoutMs: 700,
        }),
      );
      expect(result.timedOut).toBe(true);
      expect(await readFile(join(dir, 'partial.txt'), 'utf8')).toBe('first half\n');
    });

    it('kills an agent that ignores SIGTERM after the grace period', async () => {
      const agent = createCommandAgent(`trap '' TERM; sleep 30 & echo "child $!"; wait`, {
        killGraceMs: 300,
      });
      const started = Date.now();
      const result = await agent.run(input({ timeoutMs: 300 }));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.error).toContain('timed out after 300 ms and was stopped');
      expect(isRunning(printedPid(result.stdout, 'child'))).toBe(false);
    });

    it('states long timeouts in seconds', async () => {
      const result = await createCommandAgent('sleep 30').run(input({ timeoutMs: 1500 }));
      expect(result.error).toBe('agent `sleep 30` timed out after 1.5 s and was stopped');
    });
  });

  describe('when the run is aborted', () => {
    it('stops the agent and its children at once', async () => {
      const controller = new AbortController();
      const running = createCommandAgent(stubCommand).run(
        input({ prompt: '@write ready.txt = 1\n@child-sleep 30\n', signal: controller.signal }),
      );
      await waitForFile(join(dir, 'ready.txt'));
      // The stub starts its child right after writing the file.
      await new Promise((done) => setTimeout(done, 200));
      controller.abort();
      const result = await running;
      expect(result).toMatchObject({ ok: false, aborted: true, timedOut: false });
      expect(result.error).toBe(`agent \`${stubCommand}\` was stopped because the run was aborted`);
      expect(isRunning(printedPid(result.stdout, 'child-pid'))).toBe(false);
    });

    it('does not start an agent whose signal is already aborted', async () => {
      const result = await createCommandAgent('touch started.txt').run(
        input({ signal: AbortSignal.abort() }),
      );
      expect(result).toMatchObject({ ok: false, aborted: true, exitCode: null });
      await expect(readFile(join(dir, 'started.txt'))).rejects.toThrow();
    });
  });

  describe('preflight', () => {
    it('accepts a program found on PATH, after NAME=value assignments', async () => {
      await expect(createCommandAgent('sh -c true').preflight()).resolves.toBeUndefined();
      await expect(createCommandAgent('FOO=1 BAR="a b" sh -c true').preflight()).resolves.toBeUndefined();
    });

    it('accepts shell builtins and programs named through a variable', async () => {
      await expect(createCommandAgent('exec sh').preflight()).resolves.toBeUndefined();
      await expect(createCommandAgent('"$MY_AGENT" --go').preflight()).resolves.toBeUndefined();
    });

    it('accepts an executable given by path', async () => {
      const script = join(dir, 'my agent.sh');
      await writeFile(script, '#!/bin/sh\nexit 0\n');
      await chmod(script, 0o755);
      await expect(createCommandAgent(`'${script}' --go`).preflight()).resolves.toBeUndefined();
    });

    it('names a program missing from PATH and the fix', async () => {
      const agent = createCommandAgent('no-such-agent-4711 --go');
      await expect(agent.preflight()).rejects.toThrow(EnvironmentError);
      await expect(agent.preflight()).rejects.toThrow(
        'agent command `no-such-agent-4711` was not found on PATH; install it or give its full path in --agent',
      );
    });

    it('names a path that does not exist', async () => {
      const missing = join(dir, 'missing.sh');
      await expect(createCommandAgent(`${missing} --go`).preflight()).rejects.toThrow(
        `agent executable \`${missing}\` does not exist (looked for ${missing}); fix the path in --agent`,
      );
    });

    it('tells how to make a non-executable file executable', async () => {
      const script = join(dir, 'agent.sh');
      await writeFile(script, '#!/bin/sh\n');
      await expect(createCommandAgent(script).preflight()).rejects.toThrow(`run \`chmod +x ${script}\``);
    });

    it('looks programs up on the PATH of the given environment', async () => {
      const agent = createCommandAgent('sh -c true', { env: { PATH: join(dir, 'empty-bin') } });
      await expect(agent.preflight()).rejects.toThrow('agent command `sh` was not found on PATH');
    });
  });
});
