import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACTION_YML_SCHEMA_FILE,
  ActionMetadataSchema,
  actionYmlJsonSchemaText,
} from '../../scripts/action-yml-schema.ts';
import { REPOSITORY_ROOT } from '../../scripts/build-action.ts';
import { readActionYml, readActionYmlDocument } from './read-action-yml.ts';
import { expression } from './read-workflow-template.ts';

const minimal = { name: 'x', description: 'does x' };

/** The problems zod reports, as `path: message` lines. */
function problems(document: unknown): string[] {
  const result = ActionMetadataSchema.safeParse(document);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('ActionMetadataSchema', () => {
  it("accepts the repository's action.yml, a node24 action", async () => {
    const action = await readActionYml();
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('accepts node20, composite and Docker actions', () => {
    const documents = [
      { ...minimal, runs: { using: 'node20', main: 'index.js', post: 'cleanup.js', 'post-if': 'always()' } },
      {
        ...minimal,
        outputs: { sum: { description: 'the sum', value: expression('steps.add.outputs.sum') } },
        runs: {
          using: 'composite',
          steps: [
            { uses: 'actions/setup-node@v5', with: { 'node-version': 24 } },
            { id: 'add', run: 'echo "sum=2" >> "$GITHUB_OUTPUT"', shell: 'bash' },
          ],
        },
      },
      { ...minimal, runs: { using: 'docker', image: 'Dockerfile', args: ['--flag'], env: { DEBUG: 1 } } },
    ];
    for (const document of documents) expect(problems(document)).toEqual([]);
  });

  describe('with a runtime GitHub no longer runs', () => {
    it('points at `runs.using`', () => {
      const found = problems({ ...minimal, runs: { using: 'node16', main: 'index.js' } });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^runs\.using: /);
    });
  });

  describe('with an input that has no description', () => {
    it('points at the input', () => {
      const found = problems({
        ...minimal,
        inputs: { token: { required: false } },
        runs: { using: 'node24', main: 'a.js' },
      });
      expect(found).toEqual(['inputs.token.description: Invalid input: expected string, received undefined']);
    });
  });

  describe('with a misspelt key', () => {
    it('names the unknown key', async () => {
      const document = (await readActionYmlDocument()) as Record<string, unknown>;
      const found = problems({ ...document, branding: { icon: 'git-merge', colour: 'orange' } });
      expect(found).toEqual(['branding: Unrecognized key: "colour"']);
    });
  });

  describe('with a composite step that has `run` but no `shell`', () => {
    it('refuses the step', () => {
      const found = problems({ ...minimal, runs: { using: 'composite', steps: [{ run: 'make' }] } });
      expect(found.some((line) => line.startsWith('runs.steps.0'))).toBe(true);
    });
  });

  describe('the committed JSON Schema', () => {
    it('matches the schema generated from ActionMetadataSchema', async () => {
      const committed = await readFile(join(REPOSITORY_ROOT, ACTION_YML_SCHEMA_FILE), 'utf8').catch(
        () => '(missing)',
      );
      expect(
        committed === actionYmlJsonSchemaText(),
        `${ACTION_YML_SCHEMA_FILE} is stale: run node scripts/action-yml-schema.ts`,
      ).toBe(true);
    });

    it('allows node24 for editors too', () => {
      expect(actionYmlJsonSchemaText()).toContain('"node24"');
    });
  });
});
