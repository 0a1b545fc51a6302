import { describe, expect, it } from 'vitest';
import { authorizeSender } from '../../app/authorize-sender.ts';
import { testOctokit } from '../github/github-api.ts';
import { mockPermission, OWNER, REPO } from './github-mocks.ts';

const base = {
  owner: OWNER,
  repo: REPO,
  appLogin: 'claude-cluster[bot]',
  allowedBots: ['renovate[bot]'],
  attempted: 'use `/cluster`',
};

describe('authorizeSender', () => {
  describe('a user', () => {
    it.each([
      ['admin', 'admin'],
      ['write', 'maintain'],
      ['write', 'write'],
      ['write', 'release-manager'],
    ] as const)('with permission %s (role %s) is allowed', async (permission, role) => {
      mockPermission('octocat', permission, role);
      const verdict = await authorizeSender(testOctokit(), {
        ...base,
        sender: { login: 'octocat', type: 'User' },
      });
      expect(verdict).toEqual({ kind: 'allowed' });
    });

    it.each([
      ['read', 'triage'],
      ['read', 'read'],
      ['none', 'none'],
      [null, undefined],
    ] as const)('with permission %s (role %s) is refused with one polite reply', async (permission, role) => {
      mockPermission('octocat', permission, role);
      const verdict = await authorizeSender(testOctokit(), {
        ...base,
        sender: { login: 'octocat', type: 'User' },
      });
      expect(verdict).toEqual({
        kind: 'refused',
        reply: expect.stringMatching(
          /^Thanks, @octocat! Only people with write access to this repository can use `\/cluster`/,
        ),
      });
    });
  });

  describe('a bot', () => {
    it('listed in allowed_bots is allowed without a permission check', async () => {
      const verdict = await authorizeSender(testOctokit(), {
        ...base,
        sender: { login: 'Renovate[bot]', type: 'Bot' },
      });
      expect(verdict).toEqual({ kind: 'allowed' });
    });

    it('not listed is ignored', async () => {
      const verdict = await authorizeSender(testOctokit(), {
        ...base,
        sender: { login: 'dependabot[bot]', type: 'Bot' },
      });
      expect(verdict).toMatchObject({ kind: 'ignored' });
    });

    it('that is the App itself is ignored even when listed', async () => {
      const verdict = await authorizeSender(testOctokit(), {
        ...base,
        allowedBots: ['claude-cluster[bot]'],
        sender: { login: 'claude-cluster[bot]', type: 'Bot' },
      });
      expect(verdict).toEqual({ kind: 'ignored', reason: 'the App itself' });
    });
  });

  describe('an organization', () => {
    it('is ignored', async () => {
      const verdict = await authorizeSender(testOctokit(), {
        ...base,
        sender: { login: 'github', type: 'Organization' },
      });
      expect(verdict).toMatchObject({ kind: 'ignored' });
    });
  });
});
