import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKFLOW_PATH, ZERO_HOSTING_WORKFLOW_PATH } from '../../cli/commands/init-command.ts';
import { readPackageManifest } from '../../cli/read-package-manifest.ts';
import { ConfigSchema, defaultConfig } from '../../core/config/config-schema.ts';
import { CONFIG_PATH, loadConfigFile, parseConfig } from '../../core/config/load-config.ts';
import { REPOSITORY_ROOT } from '../../scripts/build-action.ts';
import { lintWorkflow } from '../action-metadata/lint-workflow.ts';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.ts';
import { runCli } from './cli-harness.ts';

const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
};

let repo: TempRepo;
beforeEach(() => {
  repo = createTempRepo();
});
afterEach(() => {
  repo.remove();
});

const read = (path: string) => readFileSync(join(repo.dir, path), 'utf8');
const actionUses = (workflow: string) =>
  [...workflow.matchAll(/^\s+(?:- )?uses: (\S+)$/gm)]
    .map((match) => match[1])
    .filter((uses) => !uses?.startsWith('actions/'));

describe('claude-cluster init', () => {
  describe('in a repository without claude-cluster', () => {
    it('writes the workflow using this package’s repository at its version tag and a commented configuration', async () => {
      const result = await runCli(['init', '--repo', repo.dir]);

      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      const workflow = read(WORKFLOW_PATH);
      const expected = `claude-cluster/claude-cluster@v${manifest.version}`;
      expect(actionUses(workflow)).toEqual([expected, expected]);
      expect(workflow).not.toContain('claude-cluster/claude-cluster@v1');
      expect(workflow).not.toContain('placeholder');
      expect(existsSync(join(repo.dir, ZERO_HOSTING_WORKFLOW_PATH))).toBe(false);
      expect(result.stdout).toContain(`wrote ${WORKFLOW_PATH}`);
      expect(result.stdout).toContain(`wrote ${CONFIG_PATH}`);
    });

    it('prints both ways to set the model secret and the next step', async () => {
      const result = await runCli(['init', '--repo', repo.dir]);

      expect(result.stdout).toContain('gh secret set ANTHROPIC_API_KEY');
      expect(result.stdout).toContain('gh secret set CLAUDE_CODE_OAUTH_TOKEN');
      expect(result.stdout).toMatch(/Install the claude-cluster GitHub App/);
      expect(result.stdout).toMatch(/Label an issue `cluster`/);
    });

    it('writes a workflow that parses and passes actionlint', async () => {
      await runCli(['init', '--repo', repo.dir, '--action', 'my-org/claude-cluster@v2.3.4']);

      const workflow = read(WORKFLOW_PATH);
      expect(parse(workflow)).toHaveProperty('jobs.task');
      expect(await lintWorkflow(workflow, WORKFLOW_PATH)).toEqual([]);
    });

    it('writes a configuration that means the defaults and that the loader accepts', async () => {
      await runCli(['init', '--repo', repo.dir]);

      expect(await loadConfigFile(join(repo.dir, CONFIG_PATH))).toEqual(defaultConfig());
    });

    it('documents every configuration key, and uncommented it still means the defaults', async () => {
      await runCli(['init', '--repo', repo.dir]);
      const text = read(CONFIG_PATH);

      // Remove the `# ` before every key (and sub-key), keeping the doc comments.
      const uncommented = text.replace(/^# ( *[a-z_]+:(?: .*)?)$/gm, '$1');
      const keys = parse(uncommented) as Record<string, unknown>;
      expect(Object.keys(keys).sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
      // Keys without a default (model, verify) uncomment to nothing and are left out.
      const set = Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== null));
      expect(ConfigSchema.parse(set)).toEqual(defaultConfig());
      for (const key of ['per_task_usd', 'per_run_usd'])
        expect(uncommented).toMatch(new RegExp(`^  ${key}: `, 'm'));
      expect(text).toContain('# Most tasks running at the same time.\n# max_parallel: 4');
      expect(text.split('\n')[0]).toBe(
        `# yaml-language-server: $schema=https://raw.githubusercontent.com/claude-cluster/claude-cluster/v${manifest.version}/schema/claude-cluster.schema.json`,
      );
    });
  });

  describe('with --action', () => {
    it('uses that reference in every step that runs the action', async () => {
      const result = await runCli(['init', '--repo', repo.dir, '--action', 'my-org/claude-cluster@0123abc']);

      expect(result.exitCode).toBe(0);
      expect(actionUses(read(WORKFLOW_PATH))).toEqual([
        'my-org/claude-cluster@0123abc',
        'my-org/claude-cluster@0123abc',
      ]);
      expect(result.stdout).toContain('my-org/claude-cluster@0123abc');
    });

    it.each(['my-org', 'my-org/claude-cluster', 'my-org/claude-cluster@', 'a b/c@v1', 'o/r@v1 # comment'])(
      'refuses `%s` with exit 2 and writes nothing',
      async (action) => {
        const result = await runCli(['init', '--repo', repo.dir, '--action', action]);

        expect(result.exitCode).toBe(2);
        expect(result.stderr).toContain('owner/repo@ref');
        expect(existsSync(join(repo.dir, '.github'))).toBe(false);
      },
    );
  });

  describe('with --zero-hosting', () => {
    it('also writes the App’s workflow, checking out the App’s sources at the same reference', async () => {
      const result = await runCli(['init', '--repo', repo.dir, '--zero-hosting', '--action', 'my-org/cc@v3']);

      expect(result.exitCode).toBe(0);
      const app = read(ZERO_HOSTING_WORKFLOW_PATH);
      expect(app).toContain('repository: my-org/cc\n          ref: v3\n');
      expect(app).not.toContain('claude-cluster/claude-cluster');
      expect(actionUses(read(WORKFLOW_PATH))).toEqual(['my-org/cc@v3', 'my-org/cc@v3']);
      expect(await lintWorkflow(app, ZERO_HOSTING_WORKFLOW_PATH)).toEqual([]);
      expect(result.stdout).toMatch(/allow GitHub Actions to create pull requests/);
      expect(result.stdout).not.toMatch(/Install the claude-cluster GitHub App/);
    });
  });

  describe('when a file it would write exists', () => {
    it('refuses with exit 2, names the file and writes nothing', async () => {
      mkdirSync(join(repo.dir, '.github'), { recursive: true });
      writeFileSync(join(repo.dir, CONFIG_PATH), 'max_parallel: 2\n');

      const result = await runCli(['init', '--repo', repo.dir]);

      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`${CONFIG_PATH} already exists`);
      expect(result.stderr).toContain('--force');
      expect(read(CONFIG_PATH)).toBe('max_parallel: 2\n');
      expect(existsSync(join(repo.dir, WORKFLOW_PATH))).toBe(false);
    });

    it('overwrites it with --force', async () => {
      mkdirSync(join(repo.dir, '.github'), { recursive: true });
      writeFileSync(join(repo.dir, CONFIG_PATH), 'max_parallel: 2\n');

      const result = await runCli(['init', '--repo', repo.dir, '--force']);

      expect(result.exitCode).toBe(0);
      expect(parseConfig(read(CONFIG_PATH))).toEqual(defaultConfig());
      expect(existsSync(join(repo.dir, WORKFLOW_PATH))).toBe(true);
    });
  });

  describe('with a --repo that is not a directory', () => {
    it('refuses with exit 2', async () => {
      const result = await runCli(['init', '--repo', join(repo.dir, 'missing')]);

      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('is not a directory');
      expect(existsSync(join(repo.dir, 'missing'))).toBe(false);
    });
  });
});

describe('the npm package', () => {
  it('ships the workflow templates init reads', () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const paths = packed[0]?.files.map((file) => file.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'workflows-templates/claude-cluster.yml',
        'workflows-templates/claude-cluster-zero-hosting.yml',
      ]),
    );
  });

  it('finds its own files from lib/cli/, where the built CLI runs', () => {
    expect(readPackageManifest(join(REPOSITORY_ROOT, 'lib', 'cli', 'commands')).root).toBe(REPOSITORY_ROOT);
  });
});
