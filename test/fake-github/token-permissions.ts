import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The repository permissions a GitHub App installation token or a workflow job's `GITHUB_TOKEN` carries, keyed as
 * GitHub's REST API reports them (`pull_requests`, snake_case). A scope that is absent is `none`, except `metadata`,
 * which every token can read.
 */
export type Access = 'read' | 'write' | 'none';
export type TokenPermissions = Record<string, Access>;

/** The scopes a workflow's `permissions:` can name, as written there (kebab-case). */
const WORKFLOW_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;

const AccessSchema = z.enum(['read', 'write', 'none']);

/** A workflow's or job's `permissions:`: `read-all`, `write-all`, or a map of scopes (unknown scopes are an error, as on GitHub). */
export const WorkflowPermissionsSchema = z.union([
  z.enum(['read-all', 'write-all']),
  z.partialRecord(z.enum(WORKFLOW_SCOPES), AccessSchema),
]);
export type WorkflowPermissions = z.infer<typeof WorkflowPermissionsSchema>;

/** `pull-requests` → `pull_requests`: the REST spelling the fake checks against. */
function restName(scope: string): string {
  return scope.replaceAll('-', '_');
}

/**
 * The `GITHUB_TOKEN` permissions of a job, as GitHub computes them: the job's `permissions:` if it has one, else the
 * workflow's, else the repository's default (`read`: contents and packages read, as for repositories created since
 * 2023; `write`: every scope write). When `permissions:` is given, every scope it does not list is `none`.
 */
export function jobTokenPermissions(
  job: WorkflowPermissions | undefined,
  workflow: WorkflowPermissions | undefined,
  repositoryDefault: 'read' | 'write',
): TokenPermissions {
  const declared = job ?? workflow;
  const all = (access: Access) =>
    Object.fromEntries(WORKFLOW_SCOPES.map((scope) => [restName(scope), access])) as TokenPermissions;
  let permissions: TokenPermissions;
  if (declared === undefined)
    permissions = repositoryDefault === 'write' ? all('write') : { contents: 'read', packages: 'read' };
  else if (declared === 'read-all') permissions = all('read');
  else if (declared === 'write-all') permissions = all('write');
  else
    permissions = Object.fromEntries(
      Object.entries(declared).map(([scope, access]) => [restName(scope), access ?? 'none']),
    );
  // `id-token` is not a repository permission of the token; it only allows requesting an OIDC token.
  delete permissions.id_token;
  return { ...permissions, metadata: 'read' };
}

/** Whether the permissions grant `level` on `scope` (write implies read). */
export function grants(permissions: TokenPermissions, scope: string, level: 'read' | 'write'): boolean {
  const access = permissions[scope] ?? 'none';
  return level === 'read' ? access !== 'none' : access === 'write';
}

/** Narrows permissions to those a token request asks for; asking for more than the installation has is refused by the caller. */
export function narrowPermissions(
  granted: TokenPermissions,
  requested: Record<string, string> | undefined,
): TokenPermissions | { exceeds: string } {
  if (requested === undefined) return { ...granted };
  const narrowed: TokenPermissions = { metadata: 'read' };
  for (const [scope, access] of Object.entries(requested)) {
    if (access !== 'read' && access !== 'write') return { exceeds: scope };
    if (!grants(granted, scope, access)) return { exceeds: scope };
    narrowed[scope] = access;
  }
  return narrowed;
}

const ManifestSchema = z.object({
  default_permissions: z.record(z.string(), AccessSchema),
  default_events: z.array(z.string()),
});

/** The App's permissions and webhook events as its manifest (`app.yml` at the repository root) asks for them. */
export function readAppManifest(repoRoot: string): { permissions: TokenPermissions; events: string[] } {
  const manifest = ManifestSchema.parse(parse(readFileSync(join(repoRoot, 'app.yml'), 'utf8')));
  return { permissions: manifest.default_permissions, events: manifest.default_events };
}
