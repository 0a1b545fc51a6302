import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { EnvironmentError } from '../core/errors/errors.ts';

const PACKAGE_NAME = 'claude-cluster';

const ManifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  repository: z.union([z.string(), z.object({ url: z.string() })]).optional(),
});

/** This package as installed: where its files are and what its manifest says. */
export interface PackageManifest {
  /** The folder holding package.json (and `workflows-templates/`). */
  root: string;
  version: string;
  /** `owner/name` of the GitHub repository in the manifest's `repository`, when it names one. */
  githubRepository?: string;
}

/**
 * Finds this package's root by walking up from this file (it runs from `cli/` in the sources and from `lib/cli/` once
 * built) and reads its manifest. Throws an `EnvironmentError` when the installed package is incomplete.
 */
export function readPackageManifest(from = import.meta.dirname): PackageManifest {
  for (let dir = from; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.success && parsed.data.name === PACKAGE_NAME) {
        const githubRepository = githubRepositoryOf(parsed.data.repository);
        return {
          root: dir,
          version: parsed.data.version,
          ...(githubRepository === undefined ? {} : { githubRepository }),
        };
      }
    }
    if (dirname(dir) === dir) {
      throw new EnvironmentError(
        `cannot find the ${PACKAGE_NAME} package.json above ${from}; reinstall claude-cluster (npm install claude-cluster)`,
      );
    }
  }
}

/** `git+https://github.com/o/r.git`, `github:o/r` or `o/r` → `o/r`. */
function githubRepositoryOf(repository: z.infer<typeof ManifestSchema>['repository']): string | undefined {
  const url = typeof repository === 'string' ? repository : repository?.url;
  if (url === undefined) return undefined;
  const match =
    /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url) ??
    /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url);
  return match?.[1];
}
