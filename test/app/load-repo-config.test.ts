import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createRepoConfigCache } from '../../app/cache-repo-config.ts';
import { loadRepoConfig } from '../../app/load-repo-config.ts';
import { defaultConfig } from '../../core/config/config-schema.ts';
import { API, testOctokit } from '../github/github-api.ts';
import { mockConfig, mockOrgConfig, OWNER, REPO } from './github-mocks.ts';

const ref = { owner: OWNER, repo: REPO };

describe('loadRepoConfig', () => {
  describe('with a file in the repository', () => {
    it('parses it with the engine’s schema', async () => {
      mockConfig('max_parallel: 2\nallowed_bots: ["renovate[bot]"]\n');
      const loaded = await loadRepoConfig(testOctokit(), ref);
      expect(loaded).toEqual({
        ok: true,
        config: { ...defaultConfig(), max_parallel: 2, allowed_bots: ['renovate[bot]'] },
        triggers: { command: 'cluster', label: 'cluster' },
      });
    });
  });

  describe('with no file anywhere', () => {
    it('uses the defaults', async () => {
      mockOrgConfig(null);
      expect(await loadRepoConfig(testOctokit(), ref)).toEqual({
        ok: true,
        config: defaultConfig(),
        triggers: { command: 'cluster', label: 'cluster' },
      });
    });
  });

  describe('in the organization’s .github repository itself', () => {
    it('does not look for a fallback in itself', async () => {
      mockConfig(null, { repo: '.github' });
      const loaded = await loadRepoConfig(testOctokit(), { owner: OWNER, repo: '.github' });
      expect(loaded.ok).toBe(true);
    });
  });

  describe('with an invalid file', () => {
    it('keeps every problem with its line, and the trigger words still valid in it', async () => {
      mockConfig('label: build-it\ncommand: Not A Word\nmax_tasks: 0\n');
      const loaded = await loadRepoConfig(testOctokit(), ref);
      expect(loaded.ok).toBe(false);
      if (loaded.ok) return;
      expect(loaded.triggers).toEqual({ command: 'cluster', label: 'build-it' });
      expect(loaded.error.problems).toEqual([
        expect.stringMatching(/^\.github\/claude-cluster\.yml line 2: `command` must be one lowercase word/),
        expect.stringMatching(/^\.github\/claude-cluster\.yml line 3: `max_tasks`/),
      ]);
    });

    it('names a YAML syntax error with its line', async () => {
      mockConfig('label: [unclosed\n');
      const loaded = await loadRepoConfig(testOctokit(), ref);
      expect(loaded.ok ? [] : loaded.error.problems).toEqual([
        expect.stringMatching(/^\.github\/claude-cluster\.yml line \d+, column \d+: /),
      ]);
    });
  });

  describe('with a directory where the file should be', () => {
    it('says to make it a file', async () => {
      nock(API)
        .get(/\/contents\//)
        .reply(200, [{ type: 'file', name: 'a.yml' }]);
      const loaded = await loadRepoConfig(testOctokit(), ref);
      expect(loaded.ok ? [] : loaded.error.problems).toEqual([
        'make .github/claude-cluster.yml a YAML file, or remove it',
      ]);
    });
  });

  describe('when GitHub fails', () => {
    it('throws, so no default is guessed', async () => {
      nock(API)
        .get(/\/contents\//)
        .reply(500, { message: 'Server Error' });
      await expect(loadRepoConfig(testOctokit(), ref)).rejects.toMatchObject({ status: 500 });
    });
  });
});

describe('createRepoConfigCache', () => {
  describe('within the maximum age', () => {
    it('reads a repository once; with age 0 it reads again', async () => {
      let now = 1_000;
      const cache = createRepoConfigCache({ now: () => now });
      mockConfig('max_parallel: 2\n');
      const first = await cache.load(testOctokit(), ref, { maxAgeMs: 60_000 });
      now += 59_000;
      const second = await cache.load(testOctokit(), ref, { maxAgeMs: 60_000 });
      expect(second).toBe(first);
      mockConfig('max_parallel: 3\n');
      const fresh = await cache.load(testOctokit(), ref, { maxAgeMs: 0 });
      expect(fresh.ok && fresh.config.max_parallel).toBe(3);
    });
  });

  describe('past the maximum age', () => {
    it('reads again', async () => {
      let now = 1_000;
      const cache = createRepoConfigCache({ now: () => now });
      mockConfig('max_parallel: 2\n');
      await cache.load(testOctokit(), ref, { maxAgeMs: 60_000 });
      now += 60_001;
      mockConfig('max_parallel: 5\n');
      const later = await cache.load(testOctokit(), ref, { maxAgeMs: 60_000 });
      expect(later.ok && later.config.max_parallel).toBe(5);
    });
  });

  describe('after a failed read', () => {
    it('does not keep the failure', async () => {
      const cache = createRepoConfigCache();
      nock(API)
        .get(/\/contents\//)
        .reply(502, { message: 'Bad Gateway' });
      await expect(cache.load(testOctokit(), ref, { maxAgeMs: 60_000 })).rejects.toMatchObject({
        status: 502,
      });
      mockConfig('');
      expect((await cache.load(testOctokit(), ref, { maxAgeMs: 60_000 })).ok).toBe(true);
    });
  });
});
