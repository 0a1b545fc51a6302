import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGit } from '../../core/git/run-git.ts';
import { untrustedConfigOverrides } from '../../core/git/untrusted-config-overrides.ts';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.ts';
import { JOB_SECRETS } from './hostile-scripts.ts';

let repo: TempRepo;
beforeEach(() => {
  repo = createTempRepo();
  for (const [name, value] of Object.entries(JOB_SECRETS)) vi.stubEnv(name, value);
});
afterEach(() => {
  vi.unstubAllEnvs();
  repo.remove();
});

/** The environment a program git starts sees (through a shell alias given on the command line). */
async function environmentGitPasses(extra?: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await runGit(['-c', 'alias.dump-env=!env', 'dump-env'], { cwd: repo.dir, env: extra });
  return stdout;
}

describe('the engine’s git', () => {
  it('passes none of the engine’s tokens, keys or stray GIT_* variables to what it runs', async () => {
    vi.stubEnv('GIT_DIR', '/nonexistent');
    const env = await environmentGitPasses();
    for (const [name, value] of Object.entries(JOB_SECRETS)) {
      expect(env).not.toContain(value);
      expect(env).not.toMatch(new RegExp(`^${name}=`, 'm'));
    }
    expect(env).not.toMatch(/^GIT_DIR=/m);
    expect(env).toMatch(/^PATH=/m);
  });

  it('passes what the caller gives for that one call', async () => {
    expect(await environmentGitPasses({ GIT_AUTHOR_NAME: 'Someone' })).toMatch(/^GIT_AUTHOR_NAME=Someone$/m);
  });

  it('runs with hooks and fsmonitor off, whatever the repository config says', async () => {
    repo.git('config', 'core.hooksPath', '.githooks');
    repo.git('config', 'core.fsmonitor', 'true');
    const hooks = await runGit(['config', 'core.hooksPath'], { cwd: repo.dir });
    const fsmonitor = await runGit(['config', '--bool', 'core.fsmonitor'], { cwd: repo.dir });
    expect(hooks.stdout.trim()).toBe('/dev/null');
    expect(fsmonitor.stdout.trim()).toBe('false');
  });
});

describe('untrustedConfigOverrides', () => {
  it('disarms every filter, merge and diff driver, helper and signing program, and nothing else', () => {
    expect(
      untrustedConfigOverrides([
        'user.name',
        'filter.Evil.clean',
        'filter.lfs.process',
        'merge.ours.driver',
        'diff.pdf.textconv',
        'credential.https://example.com.helper',
        'gpg.ssh.program',
        'core.sshcommand',
      ]),
    ).toEqual([
      ['filter.Evil.clean', ''],
      ['filter.Evil.smudge', ''],
      ['filter.Evil.process', ''],
      ['filter.Evil.required', 'false'],
      ['filter.lfs.clean', ''],
      ['filter.lfs.smudge', ''],
      ['filter.lfs.process', ''],
      ['filter.lfs.required', 'false'],
      ['merge.ours.driver', 'git merge-file --marker-size=%L %A %O %B'],
      ['merge.ours.recursive', 'text'],
      ['diff.pdf.command', ''],
      ['diff.pdf.textconv', ''],
      ['credential.https://example.com.helper', ''],
      ['gpg.ssh.program', ''],
      ['core.sshCommand', 'ssh'],
    ]);
  });
});
