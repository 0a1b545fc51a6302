import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitIdentityEnv } from '../../core/git/commit-identity.ts';
import { advanceIntegrationBranch } from '../../core/integrate/advance-integration-branch.ts';
import { appendLedgerEntry, type LedgerTarget } from '../../core/integrate/append-ledger-entry.ts';
import { runBranches } from '../../core/integrate/branch-names.ts';
import { type BranchStore, localBranchStore } from '../../core/integrate/branch-store.ts';
import { integrateTaskCommit } from '../../core/integrate/integrate-task-commit.ts';
import { formatLedgerMessage } from '../../core/integrate/ledger-format.ts';
import { projectedMergeMessage, readLedgerHeads } from '../../core/integrate/project-merge.ts';
import { projectedHead, readLedger } from '../../core/integrate/read-ledger.ts';
import { startIntegrationBranch } from '../../core/integrate/start-integration-branch.ts';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.ts';

const RUN = '7-0123abcd';
const branches = runBranches('cluster', RUN);
let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

async function startRun(store?: (inner: BranchStore) => BranchStore) {
  repo = createTempRepo({ 'README.md': '# app\n' });
  const local = localBranchStore(repo.dir);
  const target: LedgerTarget = {
    store: store ? store(local) : local,
    ledgerBranch: branches.ledger,
    runId: RUN,
    env: await commitIdentityEnv(repo.dir),
  };
  const base = repo.git('rev-parse', 'main');
  const started = await startIntegrationBranch(target, base, `Start run ${RUN}: Accounts`, {
    event: 'start',
    run: RUN,
    base: 'main',
    baseCommit: base,
    title: 'Accounts',
  });
  return { target, start: started.head, git: repo.git };
}

/** A task's commit: one file written on a branch cut from `from`. */
function taskCommit(git: TempRepo['git'], dir: string, id: string, from: string): string {
  git('checkout', '--quiet', '-B', branches.task(id), from);
  writeFileSync(join(dir, `${id}.txt`), `${id}\n`);
  git('add', '-A');
  git('commit', '--quiet', '-m', `Task ${id}`);
  git('checkout', '--quiet', 'main');
  return git('rev-parse', branches.task(id));
}

async function land(target: LedgerTarget, id: string, commit: string) {
  const ledger = formatLedgerMessage(`Integrate task ${id}`, {
    event: 'task',
    run: RUN,
    task: id,
    status: 'integrated',
    branch: branches.task(id),
    commit,
    files: [`${id}.txt`],
    conflicts: [],
    resolution: 'clean',
  });
  return integrateTaskCommit(
    target,
    commit,
    { integration: branches.integration, task: branches.task(id) },
    { ledger, merge: projectedMergeMessage(id, `Add ${id}`) },
  );
}

const parents = (git: TempRepo['git'], commit: string) => git('rev-parse', `${commit}^@`).split('\n');

describe('a landed task', () => {
  it("is a ledger merge whose second parent is the integration branch's merge of the task, with the same tree", async () => {
    const { target, start, git } = await startRun();
    const task = taskCommit(git, repo!.dir, 'api', start);

    const result = await land(target, 'api', task);

    expect(result.merged).toBe(true);
    const ledgerHead = git('rev-parse', branches.ledger);
    const [ledgerParent, projection] = parents(git, ledgerHead);
    expect(ledgerParent).toBe(start);
    expect(parents(git, projection!)).toEqual([start, task]);
    expect(git('rev-parse', `${ledgerHead}^{tree}`)).toBe(git('rev-parse', `${projection}^{tree}`));
    expect(git('show', '-s', '--format=%B', projection!).trim()).toBe('Merge task api: Add api');
    expect(git('show', '-s', '--format=%s', ledgerHead)).toBe('Integrate task api [skip ci]');
    expect((await readLedgerHeads(target)).projected).toBe(projection);
  });

  it('lands on the projection, so the integration history holds the start, the merges and the task commits only', async () => {
    const { target, start, git } = await startRun();
    const first = taskCommit(git, repo!.dir, 'api', start);
    await land(target, 'api', first);
    await appendLedgerEntry(target, 'Dispatch 1 task(s): ui', { event: 'dispatch', run: RUN, excerpt: 'x' });
    const { projected } = await readLedgerHeads(target);
    const second = taskCommit(git, repo!.dir, 'ui', projected);

    await land(target, 'ui', second);

    const head = (await readLedgerHeads(target)).projected;
    expect(git('log', '--format=%s', head).split('\n').sort()).toEqual(
      [
        'Merge task ui: Add ui',
        'Task ui',
        'Merge task api: Add api',
        'Task api',
        `Start run ${RUN}: Accounts [skip ci]`,
        'initial commit',
      ].sort(),
    );
    expect(git('log', '--first-parent', '--format=%s', head).split('\n')).toEqual([
      'Merge task ui: Add ui',
      'Merge task api: Add api',
      `Start run ${RUN}: Accounts [skip ci]`,
      'initial commit',
    ]);
    const ledger = await readLedger(
      git('rev-parse', '--show-toplevel'),
      git('rev-parse', branches.ledger),
      RUN,
    );
    expect(ledger.map((record) => record.event)).toEqual(['start', 'task', 'dispatch', 'task']);
    expect(projectedHead(ledger)).toBe(head);
  });

  it('is redone on the new heads when another writer moved the ledger first (compare-and-swap refused)', async () => {
    let interfere: (() => Promise<void>) | undefined;
    const { target, start, git } = await startRun((inner) => ({
      ...inner,
      head: (branch) => inner.head(branch),
      async compareAndSwap(branch, next, expected, reason) {
        const before = interfere;
        interfere = undefined;
        await before?.();
        return inner.compareAndSwap(branch, next, expected, reason);
      },
    }));
    const api = taskCommit(git, repo!.dir, 'api', start);
    const ui = taskCommit(git, repo!.dir, 'ui', start);
    const refusals: boolean[] = [];
    interfere = async () => {
      // Another job lands `ui` between this merge's read and its swap.
      const staleHead = git('rev-parse', branches.ledger);
      await land(target, 'ui', ui);
      refusals.push(
        await localBranchStore(repo!.dir).compareAndSwap(branches.ledger, start, staleHead, 'stale write'),
      );
    };

    const result = await land(target, 'api', api);

    expect(refusals).toEqual([false]);
    expect(result.merged).toBe(true);
    const ledger = await readLedger(repo!.dir, git('rev-parse', branches.ledger), RUN);
    expect(ledger.map((record) => (record.event === 'task' ? record.task : record.event))).toEqual([
      'start',
      'ui',
      'api',
    ]);
    const [uiProjection, apiProjection] = [ledger[1]!.projection!, ledger[2]!.projection!];
    expect(parents(git, apiProjection)).toEqual([uiProjection, api]);
    expect(git('ls-tree', '--name-only', apiProjection).split('\n').sort()).toEqual([
      'README.md',
      'api.txt',
      'ui.txt',
    ]);
  });
});

describe('advanceIntegrationBranch', () => {
  it('creates the integration branch at the start commit, then follows each merge', async () => {
    const { target, start, git } = await startRun();
    expect(await advanceIntegrationBranch(target, branches.integration)).toBe(start);
    await land(target, 'api', taskCommit(git, repo!.dir, 'api', start));

    const head = await advanceIntegrationBranch(target, branches.integration);

    expect(head).toBe((await readLedgerHeads(target)).projected);
    expect(git('rev-parse', branches.integration)).toBe(head);
  });

  it('never moves a branch someone moved elsewhere: their commits stay', async () => {
    const { target, start, git } = await startRun();
    await land(target, 'api', taskCommit(git, repo!.dir, 'api', start));
    git('branch', branches.integration, 'main');
    git('commit', '--quiet', '--allow-empty', '-m', 'theirs');
    git('update-ref', `refs/heads/${branches.integration}`, 'main');
    const theirs = git('rev-parse', 'main');

    expect(await advanceIntegrationBranch(target, branches.integration)).toBe(theirs);
    expect(git('rev-parse', branches.integration)).toBe(theirs);
  });
});

describe('projectedMergeMessage', () => {
  it('keeps every skip marker out of the merge the CI must see, whatever the task title says', () => {
    const message = projectedMergeMessage(
      'api',
      'Add API [skip ci] [CI SKIP] [no ci] [skip actions] skip-checks: true',
    );

    expect(message).not.toMatch(/skip ci|ci skip|no ci|skip actions|skip-checks/i);
    expect(message).toMatch(/^Merge task api: Add API/);
  });
});
