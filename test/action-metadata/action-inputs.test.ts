import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACTION_INPUT_NAMES,
  ACTION_OUTPUT_NAMES,
  type ActionInputName,
  ActionInputsSchema,
  PINNED_CLAUDE_CODE_VERSION,
} from '../../action/action-inputs.ts';
import { configJsonSchema } from '../../core/config/config-json-schema.ts';
import { REPOSITORY_ROOT } from '../../scripts/build-action.ts';
import { readActionYml } from './read-action-yml.ts';
import { readTableNames } from './read-markdown-table.ts';

/** The inputs that override a key of `.github/claude-cluster.yml`, and that key. */
const CONFIG_KEY_OF_INPUT: Partial<Record<ActionInputName, string>> = {
  model: 'model',
  'max-turns': 'max_turns',
  'budget-usd': 'budget.per_task_usd',
  'allowed-tools': 'allowed_tools',
  'on-conflict': 'on_conflict',
  verify: 'verify',
};

/** Names only on one side of a comparison, labelled so a failure says where each name is missing. */
function difference(left: { label: string; names: string[] }, right: { label: string; names: string[] }) {
  return {
    [`only in ${left.label}`]: left.names.filter((name) => !right.names.includes(name)),
    [`only in ${right.label}`]: right.names.filter((name) => !left.names.includes(name)),
  };
}

function expectSameNames(
  left: { label: string; names: string[] },
  right: { label: string; names: string[] },
) {
  expect(difference(left, right)).toEqual({ [`only in ${left.label}`]: [], [`only in ${right.label}`]: [] });
}

async function readReadme(): Promise<string> {
  return readFile(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
}

describe('action.yml', () => {
  describe('inputs', () => {
    it('are exactly the inputs of ActionInputsSchema, in the same order', async () => {
      const names = Object.keys((await readActionYml()).inputs ?? {});
      expectSameNames(
        { label: 'action.yml', names },
        { label: 'ActionInputsSchema', names: Object.keys(ActionInputsSchema.shape) },
      );
      expect(names).toEqual(ACTION_INPUT_NAMES);
    });

    it('require `mode` and nothing else', async () => {
      const inputs = (await readActionYml()).inputs ?? {};
      const required = Object.entries(inputs).filter(([, input]) => input.required === true);
      const unstated = Object.entries(inputs).filter(([, input]) => input.required === undefined);
      expect(required.map(([name]) => name)).toEqual(['mode']);
      expect(unstated.map(([name]) => name)).toEqual([]);
    });

    it('default `claude-code-version` to the pinned Claude Code version', async () => {
      const inputs = (await readActionYml()).inputs ?? {};
      expect(String(inputs['claude-code-version']?.default)).toBe(PINNED_CLAUDE_CODE_VERSION);
    });

    it('name the config key each overlapping input defaults to', async () => {
      const inputs = (await readActionYml()).inputs ?? {};
      for (const [name, key] of Object.entries(CONFIG_KEY_OF_INPUT)) {
        expect(inputs[name]?.description, `description of input \`${name}\``).toContain(`config \`${key}\``);
      }
    });

    it('name config keys that exist in the config schema', () => {
      const schema = configJsonSchema();
      for (const key of Object.values(CONFIG_KEY_OF_INPUT)) {
        const found = key.split('.').reduce<unknown>((node, part) => {
          const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
          return properties?.[part];
        }, schema);
        expect(found, `config key \`${key}\``).toBeDefined();
      }
    });
  });

  describe('outputs', () => {
    it('are exactly ACTION_OUTPUT_NAMES, in the same order', async () => {
      const names = Object.keys((await readActionYml()).outputs ?? {});
      expectSameNames(
        { label: 'action.yml', names },
        { label: 'ACTION_OUTPUT_NAMES', names: [...ACTION_OUTPUT_NAMES] },
      );
      expect(names).toEqual(ACTION_OUTPUT_NAMES);
    });

    it('say which mode sets each of them', async () => {
      for (const [name, output] of Object.entries((await readActionYml()).outputs ?? {})) {
        expect(output.description, `description of output \`${name}\``).toMatch(/^(Plan|Task) mode\. \S/);
      }
    });
  });
});

describe('README.md', () => {
  describe('the `### Action inputs` table', () => {
    it('lists exactly the inputs of action.yml', async () => {
      const names = readTableNames(await readReadme(), '### Action inputs');
      const action = Object.keys((await readActionYml()).inputs ?? {});
      expectSameNames({ label: 'README.md', names }, { label: 'action.yml', names: action });
    });
  });

  describe('the `### Action outputs` table', () => {
    it('lists exactly the outputs of action.yml', async () => {
      const names = readTableNames(await readReadme(), '### Action outputs');
      const action = Object.keys((await readActionYml()).outputs ?? {});
      expectSameNames({ label: 'README.md', names }, { label: 'action.yml', names: action });
    });
  });
});

describe('readTableNames', () => {
  const markdown = [
    '### Action inputs',
    '',
    'Set them under `with:`.',
    '',
    '| input | default |',
    '| :--- | --- |',
    '| `mode` | (required) |',
    '| `run-id` | |',
    '',
    '| `not-this` | a later table |',
    '### Action outputs',
    '| output |',
    '| --- |',
    '| `plan` |',
  ].join('\n');

  it('reads the backticked first column of the first table under the heading', () => {
    expect(readTableNames(markdown, '### Action inputs')).toEqual(['mode', 'run-id']);
    expect(readTableNames(markdown, '### Action outputs')).toEqual(['plan']);
  });

  describe('without the heading', () => {
    it('names the heading to add', () => {
      expect(() => readTableNames('# Title\n', '### Action inputs')).toThrow(
        'README.md has no `### Action inputs` heading',
      );
    });
  });

  describe('with a heading but no table', () => {
    it('says what the table needs', () => {
      expect(() => readTableNames('### Action inputs\n\nSoon.\n', '### Action inputs')).toThrow(
        'README.md has no table under `### Action inputs`',
      );
    });
  });

  describe('with a row whose first cell is not a name in backticks', () => {
    it('quotes the row', () => {
      const text = '### Action inputs\n| input |\n| --- |\n| mode |\n';
      expect(() => readTableNames(text, '### Action inputs')).toThrow(
        'README.md row `| mode |` under `### Action inputs` must start with a name in backticks',
      );
    });
  });
});
