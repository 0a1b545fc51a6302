import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CONFIG_SCHEMA_FILE } from '../../core/config/config-json-schema.ts';
import { CONFIG_PATH, parseConfig } from '../../core/config/load-config.ts';
import { renderCommentedConfig } from '../../core/config/render-commented-config.ts';
import { InputError } from '../../core/errors/errors.ts';
import type { CliIo } from '../cli-io.ts';
import { InitOptionsSchema, parseOptions } from '../cli-options.ts';
import {
  type ActionReference,
  fillWorkflowTemplate,
  parseActionReference,
} from '../fill-workflow-template.ts';
import { readPackageManifest } from '../read-package-manifest.ts';

/** Where the dispatched workflow goes (the App's `workflow` setting names it). */
export const WORKFLOW_PATH = '.github/workflows/claude-cluster.yml';
/** Where the zero-hosting workflow goes, next to the one it dispatches. */
export const ZERO_HOSTING_WORKFLOW_PATH = '.github/workflows/claude-cluster-app.yml';

/** One file init writes: where, and from which template (or generated). */
interface PlannedFile {
  path: string;
  text: string;
}

const WorkflowShapeSchema = z.object({ jobs: z.record(z.string(), z.unknown()) }).loose();

/**
 * `claude-cluster init`: writes the workflow(s) with the action reference filled in and a commented
 * `.github/claude-cluster.yml`, then prints the secret to set and the next step. Refuses (exit 2, nothing written)
 * when a file exists, unless `--force`; every file is checked before any is written.
 */
export async function initCommand(rawOptions: unknown, io: CliIo): Promise<number> {
  const options = parseOptions(InitOptionsSchema, rawOptions);
  const repo = resolve(options.repo);
  if (!existsSync(repo) || !statSync(repo).isDirectory()) {
    throw new InputError(`--repo ${options.repo} is not a directory`, [
      'give the folder of the repository to set up, e.g. --repo ~/src/widgets',
    ]);
  }
  const manifest = readPackageManifest();
  const action =
    options.action === undefined ? defaultAction(manifest) : parseActionReference(options.action);
  const templates = join(manifest.root, 'workflows-templates');
  const planned: PlannedFile[] = [
    { path: WORKFLOW_PATH, text: await workflowFrom(templates, 'claude-cluster.yml', action) },
    ...(options.zeroHosting
      ? [
          {
            path: ZERO_HOSTING_WORKFLOW_PATH,
            text: await workflowFrom(templates, 'claude-cluster-zero-hosting.yml', action),
          },
        ]
      : []),
    { path: CONFIG_PATH, text: renderCommentedConfig({ schemaUrl: schemaUrl(action) }) },
  ];
  // The generated configuration must mean exactly the defaults; parseConfig throws otherwise.
  parseConfig(planned.at(-1)?.text ?? '', CONFIG_PATH);

  const existing = planned.filter((file) => existsSync(join(repo, file.path)));
  if (existing.length > 0 && !options.force) {
    throw new InputError(
      `${existing.map((file) => file.path).join(' and ')} already exist${existing.length === 1 ? 's' : ''} in ${repo}; nothing was written`,
      ['run again with --force to overwrite, or move the file away first'],
    );
  }
  for (const file of planned) {
    const target = join(repo, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.text);
  }
  io.stdout.write(nextSteps(planned, action, options.zeroHosting));
  return 0;
}

/** This package's own repository at the tag of its version. */
function defaultAction(manifest: ReturnType<typeof readPackageManifest>): ActionReference {
  if (manifest.githubRepository === undefined) {
    throw new InputError('this claude-cluster package names no GitHub repository', [
      'give the action to use with --action owner/repo@ref',
    ]);
  }
  return { repository: manifest.githubRepository, ref: `v${manifest.version}` };
}

/** The configuration's JSON Schema as the action's repository publishes it at the same ref. */
function schemaUrl(action: ActionReference): string {
  return `https://raw.githubusercontent.com/${action.repository}/${action.ref}/${CONFIG_SCHEMA_FILE}`;
}

/** A template with the action filled in, checked to parse as a workflow. */
async function workflowFrom(templates: string, name: string, action: ActionReference): Promise<string> {
  const text = fillWorkflowTemplate(await readFile(join(templates, name), 'utf8'), action, name);
  const shape = WorkflowShapeSchema.safeParse(parse(text));
  if (!shape.success) {
    throw new Error(`the workflow made from ${name} is not a workflow with jobs; the template is broken`);
  }
  return text;
}

function nextSteps(written: PlannedFile[], action: ActionReference, zeroHosting: boolean): string {
  const reference = `${action.repository}@${action.ref}`;
  const start = zeroHosting
    ? [
        '4. In Settings → Actions → General, allow GitHub Actions to create pull requests.',
        '5. Label an issue `cluster` (or comment `/cluster` on it): the workflows plan it and open one pull request.',
      ]
    : [
        `4. Install the claude-cluster GitHub App on the repository (see docs/install.md of ${action.repository}).`,
        '5. Label an issue `cluster` (or comment `/cluster` on it): the App plans it and opens one pull request.',
      ];
  return `${[
    ...written.map((file) => `wrote ${file.path}`),
    `the workflow uses the action ${reference}`,
    '',
    'Next:',
    '1. Set ONE model credential as a repository secret (with both set, the action refuses):',
    '     gh secret set ANTHROPIC_API_KEY          # an Anthropic API key',
    '   or',
    '     gh secret set CLAUDE_CODE_OAUTH_TOKEN    # a subscription token from `claude setup-token`',
    '2. Change any setting in .github/claude-cluster.yml (all are commented out at their defaults).',
    '3. Commit the files and push them to the default branch.',
    ...start,
  ].join('\n')}\n`;
}
