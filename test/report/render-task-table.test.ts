import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTaskTable } from '../../core/report/render-task-table.ts';
import { sixTaskRun, taskOutcome } from './build-run-report.ts';
import { hostileText } from './hostile-text.ts';

// GFM splits a row on every pipe not preceded by a backslash.
function cellsOf(row: string): string[] {
  return row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('renderTaskTable', () => {
  const table = renderTaskTable(sixTaskRun().tasks);
  const rows = table.split('\n');

  it('has a header, a rule and one row per task', () => {
    expect(rows[0]).toBe('| Task | Status | Branch | Commit | Files | Cost | Turns | Duration |');
    expect(rows).toHaveLength(8);
  });

  it('shows id and title, status word, branch, short sha, files, cost, turns and duration', () => {
    expect(cellsOf(rows[3] ?? '')).toEqual([
      '`api` Add /users REST endpoints',
      'resolved',
      '`cluster/42-api`',
      '`a1b2c3d`',
      '5: `src/routes.ts`, `src/users/handlers.ts`, `src/users/validate.ts`, +2 more',
      '$0.58',
      '21',
      '1m 05s',
    ]);
  });

  it('shows a dash for what a task does not have', () => {
    expect(cellsOf(rows[6] ?? '')).toEqual([
      '`docs` Document the users API',
      'skipped',
      '`cluster/42-docs`',
      '—',
      '0',
      '—',
      '—',
      '—',
    ]);
  });

  it('shows only the count of files when asked for no names', () => {
    const compact = renderTaskTable(sixTaskRun().tasks, { fileNames: 0 }).split('\n');
    expect(cellsOf(compact[3] ?? '')[4]).toBe('5');
  });

  it('links the job log only for https URLs', () => {
    const [safe, unsafe] = renderTaskTable([
      taskOutcome({ id: 'a', jobUrl: 'https://github.com/o/r/actions/runs/1/job/2?x=(y)' }),
      taskOutcome({ id: 'b', jobUrl: 'javascript:alert(1)' }),
    ])
      .split('\n')
      .slice(2);
    expect(cellsOf(safe ?? '')[1]).toBe(
      'integrated ([log](https://github.com/o/r/actions/runs/1/job/2?x=%28y%29))',
    );
    expect(cellsOf(unsafe ?? '')[1]).toBe('integrated');
  });

  describe('with hostile titles, branches and file names', () => {
    const hostile = taskOutcome({
      id: 'evil',
      title: '| </details> <script>alert(1)</script>\n## injected `code` [x](javascript:y)',
      branch: 'cluster/42-evil|`x`',
      files: ['a|b.ts', '`tick`.ts', '<img src=x>.ts'],
    });
    const row = renderTaskTable([hostile]).split('\n')[2] ?? '';

    it('keeps the row to its eight cells', () => {
      expect(cellsOf(row)).toHaveLength(8);
    });

    it('keeps HTML and links as visible text', () => {
      expect(cellsOf(row)[0]).toBe(
        '`evil` \\| &lt;/details&gt; &lt;script&gt;alert(1)&lt;/script&gt; ## injected \\`code\\` \\[x\\](javascript:y)',
      );
    });

    it('keeps branch and file names in code spans that their backticks cannot close', () => {
      expect(cellsOf(row)[2]).toBe('`` cluster/42-evil\\|`x` ``');
      expect(cellsOf(row)[4]).toBe('3: `a\\|b.ts`, `` `tick`.ts ``, `<img src=x>.ts`');
    });

    it('keeps any title to one row of eight cells', () => {
      fc.assert(
        fc.property(
          hostileText,
          hostileText,
          fc.array(hostileText, { maxLength: 4 }),
          (title, branch, files) => {
            const lines = renderTaskTable([taskOutcome({ id: 'x', title, branch, files })]).split('\n');
            expect(lines).toHaveLength(3);
            expect(cellsOf(lines[2] ?? '')).toHaveLength(8);
          },
        ),
      );
    });
  });
});
