import type { Octokit } from '../core/github/octokit-types.ts';
import { loadRepoConfig, type RepoConfig, type RepoRef } from './load-repo-config.ts';

/** Repositories' configurations, reused for a short while. */
export interface RepoConfigCache {
  /**
   * The repository's configuration, read anew when the cached one is older than `maxAgeMs` (0: always read; what
   * commands and labels use, so a fixed config takes effect on the next command).
   */
  load(octokit: Octokit, ref: RepoRef, options: { maxAgeMs: number }): Promise<RepoConfig>;
}

/** Options of {@link createRepoConfigCache}. */
export interface RepoConfigCacheOptions {
  /** Repositories kept at most; the one read longest ago is dropped first. */
  maxEntries?: number;
  now?: () => number;
  read?: (octokit: Octokit, ref: RepoRef) => Promise<RepoConfig>;
}

/**
 * A small cache of configurations, so the workflow events of a run (two per task job) do not each read the
 * configuration again. Concurrent reads of one repository share a request; a failed read is not kept.
 */
export function createRepoConfigCache(options: RepoConfigCacheOptions = {}): RepoConfigCache {
  const { maxEntries = 500, now = Date.now, read = loadRepoConfig } = options;
  const entries = new Map<string, { at: number; config: Promise<RepoConfig> }>();
  return {
    async load(octokit, ref, { maxAgeMs }) {
      const key = `${ref.owner}/${ref.repo}`.toLowerCase();
      const cached = entries.get(key);
      if (cached !== undefined && maxAgeMs > 0 && now() - cached.at <= maxAgeMs) return cached.config;
      const config = read(octokit, ref);
      const entry = { at: now(), config };
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      config.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return config;
    },
  };
}
