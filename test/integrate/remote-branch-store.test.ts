import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { remoteBranchStore } from '../../core/integrate/remote-branch-store.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';

let remote: TempRemote;
beforeEach(() => {
  remote = createTempRemote();
});
afterEach(() => remote.remove());

const refuseNothing = () => {};

/**
 * Makes the clone's every read of origin go through a wrapper of `git upload-pack` that creates `branch` on origin
 * when the second read starts: the branch appears right after the store's first look found it absent.
 */
function branchAppearsAfterFirstRead(checkout: string, branch: string) {
  const script = join(checkout, '..', 'upload-pack-then-create.sh');
  const count = join(checkout, '..', 'reads');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `echo read >> '${count}'`,
      `if [ "$(wc -l < '${count}')" -eq 2 ]; then`,
      `  git --git-dir='${remote.bare}' update-ref 'refs/heads/${branch}' main`,
      'fi',
      'exec git upload-pack "$@"',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  const checkoutGit = (...args: string[]) => remote.git('--git-dir', join(checkout, '.git'), ...args);
  checkoutGit('config', 'remote.origin.uploadpack', script);
}

describe('remoteBranchStore', () => {
  it('reads a branch that another job creates between its fetch and its check that the branch exists', async () => {
    const checkout = remote.clone();
    branchAppearsAfterFirstRead(checkout, 'cluster/r1/appears');
    const store = remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush: refuseNothing });
    await expect(store.head('cluster/r1/appears')).resolves.toBe(remote.git('rev-parse', 'main'));
  });

  it('answers undefined for a branch that does not exist', async () => {
    const store = remoteBranchStore({ repoDir: remote.clone(), remote: 'origin', guardPush: refuseNothing });
    await expect(store.head('cluster/r1/missing')).resolves.toBeUndefined();
  });

  it('still names the branch and the fix when origin cannot be read at all', async () => {
    const checkout = remote.clone();
    remote.git(
      '--git-dir',
      join(checkout, '.git'),
      'remote',
      'set-url',
      'origin',
      join(checkout, 'no-such-repo'),
    );
    const store = remoteBranchStore({ repoDir: checkout, remote: 'origin', guardPush: refuseNothing });
    await expect(store.head('main')).rejects.toThrow(/no-such-repo|origin/);
  });
});
