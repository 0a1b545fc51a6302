import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandAgent } from '../../core/agent/command-agent.ts';
import { type ConfigInput, ConfigSchema } from '../../core/config/config-schema.ts';
import { readLedger } from '../../core/integrate/read-ledger.ts';
import { remoteBranchStore } from '../../core/integrate/remote-branch-store.ts';
import { assertValidPlan } from '../../core/plan/validate-plan.ts';
import { renderReport } from '../../core/report/render-report.ts';
import { runSingleTask } from '../../core/run/run-single-task.ts';
import { createSignalFile } from '../helpers/signal-file.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';
import { stubAgentCommand } from '../helpers/temp-repo.ts';

const WORKFLOW =
  'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';

/**
 * Gives the bare remote the fake GitHub's own pre-receive rules for a job's token: no change under
 * `.github/workflows/`, no file over `maxFileBytes`.
 */
function refuseLikeGitHub(remote: TempRemote, maxFileBytes: number): void {
  const hook = join(remote.bare, 'hooks', 'pre-receive');
  const script = join(import.meta.dirname, '..', 'fake-github', 'git-push-hook.ts');
  writeFileSync(
    hook,
    `#!/bin/sh\nFAKE_GITHUB_MAY_CHANGE_WORKFLOWS=0 FAKE_GITHUB_MAX_FILE_BYTES=${maxFileBytes} exec "${process.execPath}" "${script}" pre-receive\n`,
  );
  chmodSync(hook, 0o755);
}

let remote: TempRemote;
beforeEach(() => {
  remote = createTempRemote({ 'README.md': '# remote\n', '.github/workflows/ci.yml': WORKFLOW });
  refuseLikeGitHub(remote, 1024);
});
afterEach(() => remote.remove());

function job(id: string, prompt: string, config: ConfigInput = {}, agentCommand = stubAgentCommand()) {
  const checkout = remote.clone();
  const [task] = assertValidPlan({ tasks: [{ id, title: `Task ${id}`, prompt }] }).tasks;
  return runSingleTask({
    checkoutDir: checkout,
    store: remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush: () => {} }),
    runId: 'r7',
    task: task!,
    base: 'main',
    title: 'Remote issue',
    config: ConfigSchema.parse(config),
    agent: createCommandAgent(agentCommand),
    workDir: `${checkout}-work`,
    withhold: { maxFileBytes: 1024 },
  });
}

const show = (ref: string, path: string) => remote.git('show', `${ref}:${path}`);

async function taskEntry(id: string) {
  const ledger = await readLedger(remote.bare, 'cluster/r7/ledger', 'r7');
  const entry = ledger.findLast((record) => record.event === 'task' && record.task === id);
  if (entry?.event !== 'task') throw new Error(`no ledger entry for task ${id}`);
  return entry;
}

describe('a task whose push GitHub would refuse from a job token', () => {
  it('has the remote refuse a workflow change pushed as it is (the rule the job meets)', () => {
    const checkout = remote.clone();
    writeFileSync(join(checkout, '.github/workflows/ci.yml'), `${WORKFLOW}# more\n`);
    execFileSync('git', ['commit', '-qam', 'edit ci'], { cwd: checkout });
    expect(() =>
      execFileSync('git', ['push', '-q', 'origin', 'HEAD:refs/heads/cluster/r7/tasks/x'], {
        cwd: checkout,
        stdio: 'pipe',
      }),
    ).toThrow(/without `workflows` permission/);
  });

  it('lands its other work, withholds the workflow edit and keeps it as a patch in the ledger and the report', async () => {
    const result = await job(
      'ci',
      '@write src/a.txt = alpha\n@append .github/workflows/ci.yml = # lint too\n@write .github/workflows/extra.yml = name: extra',
    );

    expect(result).toMatchObject({ status: 'integrated', integrated: true });
    expect(show('cluster/r7/ledger', 'src/a.txt')).toBe('alpha');
    expect(show('cluster/r7/tasks/ci', '.github/workflows/ci.yml')).toBe(WORKFLOW.trimEnd());
    expect(() => show('cluster/r7/tasks/ci', '.github/workflows/extra.yml')).toThrow();
    const entry = await taskEntry('ci');
    expect(entry.files).toEqual(['src/a.txt']);
    expect(entry.withheld?.map((change) => [change.path, change.reason])).toEqual([
      ['.github/workflows/ci.yml', 'workflow'],
      ['.github/workflows/extra.yml', 'workflow'],
    ]);
    expect(entry.withheld?.[0]?.patch).toContain('+# lint too');
    expect(entry.withheld?.[1]?.patch).toContain('+name: extra');

    const body = renderReport(result.report);
    expect(body).toContain('1 of 1 task integrated. 2 changes were withheld');
    expect(body).toContain('## Changes a maintainer must apply');
    expect(body).toContain(
      '```diff\n  diff --git a/.github/workflows/extra.yml b/.github/workflows/extra.yml',
    );
    expect(body).toContain('`git apply <file>`');
  });

  it('withholds a deleted workflow too, and the recorded patch applies on the integrated code', async () => {
    await job('drop', '@delete .github/workflows/ci.yml\n@write b.txt = beta');
    const entry = await taskEntry('drop');
    expect(entry.withheld).toHaveLength(1);
    expect(entry.withheld?.[0]).toMatchObject({ path: '.github/workflows/ci.yml', reason: 'workflow' });
    expect(entry.withheld?.[0]).not.toHaveProperty('bytes');
    const checkout = remote.clone();
    execFileSync('git', ['checkout', '-q', 'origin/cluster/r7/tasks/drop'], { cwd: checkout });
    execFileSync('git', ['apply'], { cwd: checkout, input: entry.withheld?.[0]?.patch });
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: checkout, encoding: 'utf8' })).toBe(
      ' D .github/workflows/ci.yml\n',
    );
  });

  it('withholds a file over the size limit and names it with its size', async () => {
    const result = await job('big', `@write big.bin = ${'x'.repeat(2000)}\n@write small.txt = small`);

    expect(result.status).toBe('integrated');
    expect(show('cluster/r7/ledger', 'small.txt')).toBe('small');
    expect(() => show('cluster/r7/ledger', 'big.bin')).toThrow();
    const entry = await taskEntry('big');
    expect(entry.withheld).toEqual([{ path: 'big.bin', reason: 'size', bytes: 2001 }]);
    const body = renderReport(result.report);
    expect(body).toContain("- `big.bin`: larger than GitHub's file size limit (0.00 MB)");
  });

  it('rewrites the agent’s own commits that touched a workflow, so no pushed commit carries it', async () => {
    const checkout = remote.clone();
    const [task] = assertValidPlan({
      tasks: [{ id: 'own', title: 'Own commits', prompt: '@write c.txt = gamma' }],
    }).tasks;
    // An agent that commits a workflow edit and then reverts it: the final tree has no workflow change.
    const agent = createCommandAgent(
      `sh -c 'echo "# x" >> .github/workflows/ci.yml && git commit -qam ci && git checkout -q HEAD~1 -- .github/workflows/ci.yml && echo gamma > c.txt'`,
    );
    const result = await runSingleTask({
      checkoutDir: checkout,
      store: remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush: () => {} }),
      runId: 'r7',
      task: task!,
      base: 'main',
      title: 'Remote issue',
      config: ConfigSchema.parse({}),
      agent,
      workDir: `${checkout}-work`,
      withhold: { maxFileBytes: 1024 },
    });
    expect(result.status).toBe('integrated');
    expect(show('cluster/r7/ledger', 'c.txt')).toBe('gamma');
    expect((await taskEntry('own')).withheld).toBeUndefined();
  });

  it('refuses a conflict resolution that edits a workflow, leaving the task conflicted instead of failing the job', async () => {
    const signal = createSignalFile();
    // The resolver touches a workflow before resolving as the stub does; in task mode it runs the stub as is.
    const resolver = `sh -c 'if [ "$CLUSTER_MODE" = resolve ]; then echo "# x" >> .github/workflows/ci.yml; fi; exec ${stubAgentCommand().replace(/'/g, '')}'`;
    const clashing = job(
      'second',
      `@wait-for ${signal.path}\n@write notes.txt = second`,
      { on_conflict: 'resolve' },
      resolver,
    );
    await signal.waiting();
    await job('first', '@write notes.txt = first');
    signal.fire();
    const result = await clashing;

    expect(result.status).toBe('conflicted');
    expect(result.report.tasks[0]?.reason).toContain(
      "the resolution changes the workflow file `.github/workflows/ci.yml`, which a job's token may not push",
    );
    expect(show('cluster/r7/ledger', '.github/workflows/ci.yml')).toBe(WORKFLOW.trimEnd());
  });

  it('withholds a file that replaces the workflows folder, keeping the folder as it was', async () => {
    const result = await job(
      'flat',
      'replace the folder',
      {},
      `sh -c 'rm -r .github/workflows && echo "not a folder" > .github/workflows && echo delta > d.txt'`,
    );
    expect(result.status).toBe('integrated');
    expect(show('cluster/r7/ledger', 'd.txt')).toBe('delta');
    expect(show('cluster/r7/ledger', '.github/workflows/ci.yml')).toBe(WORKFLOW.trimEnd());
    expect((await taskEntry('flat')).withheld?.map((change) => change.path)).toEqual([
      '.github/workflows',
      '.github/workflows/ci.yml',
    ]);
  });
});
