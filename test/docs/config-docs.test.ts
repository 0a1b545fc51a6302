import { describe, expect, it } from 'vitest';
import { BudgetSchema, ConfigSchema } from '../../core/config/config-schema.ts';
import {
  CONFIG_DOCS_FILE,
  configDocsText,
  renderConfigTable,
  replaceConfigTable,
  TABLE_END,
  TABLE_START,
} from '../../scripts/write-config-docs.ts';
import { thrownInputError } from '../helpers/thrown-input-error.ts';
import { readRepositoryFile } from './read-repository-file.ts';

const committed = await readRepositoryFile(CONFIG_DOCS_FILE);

/** The table rows of the committed page, by key. */
function committedRows(): Map<string, string[]> {
  const table = committed.slice(committed.indexOf(TABLE_START), committed.indexOf(TABLE_END));
  const rows = new Map<string, string[]>();
  for (const line of table.split('\n').filter((row) => row.startsWith('| `'))) {
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\) \| /)
      .map((cell) => cell.trim());
    rows.set((cells[0] ?? '').replace(/`/g, ''), cells.slice(1));
  }
  return rows;
}

describe('docs/configuration.md', () => {
  it('holds the table generated from ConfigSchema', () => {
    expect(
      committed === configDocsText(committed),
      `${CONFIG_DOCS_FILE} is stale: run npx node scripts/write-config-docs.ts`,
    ).toBe(true);
  });

  it('has one row per key, nested budget keys after their parent, in schema order', () => {
    const expected = Object.keys(ConfigSchema.shape).flatMap((key) =>
      key === 'budget' ? [key, ...Object.keys(BudgetSchema.shape).map((child) => `budget.${child}`)] : [key],
    );
    expect([...committedRows().keys()]).toEqual(expected);
  });

  it('shows each key’s type, default and description', () => {
    const rows = committedRows();
    expect(rows.get('on_conflict')).toEqual([
      'one of `resolve`, `retry`, `skip`',
      '`resolve`',
      expect.stringContaining('`skip`: the branch is left unmerged and reported.'),
    ]);
    expect(rows.get('max_parallel')?.slice(0, 2)).toEqual(['integer, 1–256', '`4`']);
    expect(rows.get('budget.per_task_usd')?.slice(0, 2)).toEqual(['number, > 0', '`5`']);
    expect(rows.get('allowed_tools')?.[1]).toBe('`[ Read, Write, Edit, Glob, Grep, Bash ]`');
    expect(rows.get('model')?.[1]).toBe('unset');
    expect(rows.get('draft')?.slice(0, 2)).toEqual(['boolean', '`true`']);
  });
});

describe('renderConfigTable', () => {
  describe('with a description holding a pipe and a line break', () => {
    it('keeps the row one line and the pipe inside its cell', () => {
      const table = renderConfigTable({
        properties: { mode: { type: 'string', description: 'a | b\nc', default: 'a' } },
      });
      expect(table.split('\n')).toEqual([
        '| key | type | default | description |',
        '| --- | --- | --- | --- |',
        '| `mode` | string | `a` | a \\| b c |',
      ]);
    });
  });

  describe('with a key that has no description', () => {
    it('refuses, naming the key and the fix', () => {
      const error = thrownInputError(() =>
        renderConfigTable({ properties: { ok: { description: 'fine' }, bare: { type: 'string' } } }),
      );
      expect(error.problems).toEqual([
        'key `bare` has no description; add `.describe(…)` to it in ConfigSchema',
      ]);
    });
  });
});

describe('replaceConfigTable', () => {
  const page = ['# Title', 'before', TABLE_START, 'old table', TABLE_END, 'after'].join('\n');

  it('replaces only what stands between the markers', () => {
    expect(replaceConfigTable(page, 'new table')).toBe(
      ['# Title', 'before', TABLE_START, 'new table', TABLE_END, 'after'].join('\n'),
    );
  });

  it('gives the same page when run twice', () => {
    const once = replaceConfigTable(page, 'new table');
    expect(replaceConfigTable(once, 'new table')).toBe(once);
  });

  describe('without its markers', () => {
    it('refuses, naming each missing marker', () => {
      const error = thrownInputError(() => replaceConfigTable('# Title\nno markers\n', 'table'));
      expect(error.message).toContain(`${CONFIG_DOCS_FILE} has no place for the table`);
      expect(error.problems).toEqual([
        `the line \`${TABLE_START}\` is missing; put it where the table starts`,
        `the line \`${TABLE_END}\` is missing; put it where the table ends`,
      ]);
    });
  });

  describe('with the markers in the wrong order', () => {
    it('refuses and says to swap them', () => {
      const error = thrownInputError(() => replaceConfigTable([TABLE_END, TABLE_START].join('\n'), 'table'));
      expect(error.problems).toEqual(['the end marker comes before the start marker; swap them']);
    });
  });
});
