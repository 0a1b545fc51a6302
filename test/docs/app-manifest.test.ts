import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { APP_EVENTS } from '../../app/create-app.ts';
import { readRepositoryFile } from './read-repository-file.ts';

/**
 * Repository permission names a GitHub App manifest accepts, as GitHub spells them (snake_case). Anything else is a
 * typo GitHub would reject or silently drop.
 */
const KNOWN_PERMISSIONS = new Set([
  'actions',
  'administration',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'environments',
  'issues',
  'metadata',
  'packages',
  'pages',
  'pull_requests',
  'repository_hooks',
  'repository_projects',
  'secret_scanning_alerts',
  'secrets',
  'security_events',
  'single_file',
  'statuses',
  'vulnerability_alerts',
  'workflows',
]);

/** What the App handles, and the permission GitHub requires (read at least) to deliver each event. */
const EVENT_PERMISSION: Record<string, string> = {
  issues: 'issues',
  issue_comment: 'issues',
  pull_request: 'pull_requests',
  workflow_run: 'actions',
  workflow_job: 'actions',
};

const ManifestSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().min(1),
    url: z.url(),
    hook_attributes: z.object({ url: z.url(), active: z.boolean().optional() }).strict(),
    public: z.boolean(),
    default_events: z.array(z.string().min(1)),
    default_permissions: z.record(z.string(), z.enum(['read', 'write'])),
  })
  .strict();

async function readManifest() {
  return ManifestSchema.parse(parse(await readRepositoryFile('app.yml')));
}

describe('app.yml', () => {
  it('is a manifest with only the fields GitHub reads', async () => {
    const manifest = await readManifest();
    expect(manifest.name).toBe('claude-cluster');
    expect(manifest.hook_attributes.url).toMatch(/\/api\/github\/webhooks$/);
  });

  it('subscribes to exactly the events the App handles', async () => {
    const { default_events } = await readManifest();
    const handled = new Set(APP_EVENTS.map((event) => event.split('.')[0]));
    expect([...default_events].sort()).toEqual([...handled].sort());
    expect([...default_events].sort()).toEqual(Object.keys(EVENT_PERMISSION).sort());
  });

  describe('its permissions', () => {
    it('are keyed in snake_case, as GitHub expects (not `pull-requests`)', async () => {
      const { default_permissions } = await readManifest();
      for (const key of Object.keys(default_permissions)) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
    });

    it('are all permissions GitHub knows', async () => {
      const { default_permissions } = await readManifest();
      for (const key of Object.keys(default_permissions))
        expect(KNOWN_PERMISSIONS, `permission ${key}`).toContain(key);
    });

    it('are exactly what the App uses, writing only where it changes something', async () => {
      const { default_permissions } = await readManifest();
      expect(default_permissions).toEqual({
        actions: 'write',
        checks: 'write',
        contents: 'write',
        issues: 'write',
        metadata: 'read',
        pull_requests: 'write',
      });
    });

    it('include what GitHub requires to deliver each subscribed event', async () => {
      const { default_events, default_permissions } = await readManifest();
      for (const event of default_events) {
        const needed = EVENT_PERMISSION[event];
        expect(needed, `the permission event \`${event}\` needs`).toBeDefined();
        expect(default_permissions[needed ?? ''], `\`${needed}\` for event \`${event}\``).toMatch(
          /^(read|write)$/,
        );
      }
    });

    it('never ask to change workflows, settings or secrets', async () => {
      const { default_permissions } = await readManifest();
      for (const key of ['workflows', 'administration', 'secrets'])
        expect(default_permissions).not.toHaveProperty(key);
    });

    it('each carry a comment saying why', async () => {
      const text = await readRepositoryFile('app.yml');
      const block = text.slice(text.indexOf('default_permissions:'));
      const grants = block.split('\n').filter((line) => /^\s+[a-z_]+: (read|write)\b/.test(line));
      expect(grants).toHaveLength(6);
      for (const line of grants) expect(line, 'a permission without a reason').toMatch(/ # \S/);
    });
  });
});
