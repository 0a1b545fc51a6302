import { describe, expect, it } from 'vitest';
import { describeResolution, renderConflictNotes } from '../../core/report/render-conflict-notes.ts';
import type { ConflictNote } from '../../core/report/report-model.ts';
import { resolvedConflict, sixTaskRun, taskOutcome, unresolvedConflict } from './build-run-report.ts';

const fullCap = { maxLines: 80, maxChars: 6000 };

describe('renderConflictNotes', () => {
  describe('for a run with a resolved and an unresolved conflict', () => {
    const notes = renderConflictNotes(sixTaskRun().tasks, { excerpt: fullCap });

    it('has one entry per conflict, headed by the task', () => {
      expect(notes.startsWith('## Conflict notes\n')).toBe(true);
      expect(notes).toContain('### `api` Add /users REST endpoints\n');
      expect(notes).toContain('### `auth` Add session middleware\n');
    });

    it('names each file and the integrated tasks that touched it', () => {
      expect(notes).toContain('  - `src/config.ts`: also changed by `db`');
      expect(notes).toContain('  - `src/routes.ts`: also changed by `api`, `tests`');
      expect(notes).toContain('  - `src/middleware/session.ts`: no integrated task changed it');
    });

    it('states the resolution in words, with a retry hint for an unresolved one', () => {
      expect(notes).toContain('- **Resolution:** resolved by the agent');
      expect(notes).toContain('- **Resolution:** unresolved; retry with `/cluster retry auth`');
    });

    it('shows the conflicting hunks in a diff fence', () => {
      expect(notes).toContain(`\`\`\`diff\n${resolvedConflict.excerpt}\n\`\`\``);
    });
  });

  it('returns nothing when no task met a conflict', () => {
    expect(renderConflictNotes([taskOutcome({ id: 'a' })], { excerpt: fullCap })).toBe('');
  });

  it('numbers the conflicts of a task that met several', () => {
    const task = taskOutcome({ id: 'api', title: 'API', conflicts: [resolvedConflict, unresolvedConflict] });
    const notes = renderConflictNotes([task], { excerpt: fullCap });
    expect(notes).toContain('### `api` API (conflict 1 of 2)');
    expect(notes).toContain('### `api` API (conflict 2 of 2)');
  });

  describe('with an excerpt longer than its cap', () => {
    const excerpt = Array.from({ length: 50 }, (_, i) => `+ line ${i}`).join('\n');
    const task = taskOutcome({ id: 'api', conflicts: [{ ...resolvedConflict, excerpt }] });

    it('keeps the first lines and says how many more there are', () => {
      const notes = renderConflictNotes([task], { excerpt: { maxLines: 10, maxChars: 6000 } });
      expect(notes).toContain('+ line 9\n```\n\n_… 40 more lines; see branch `cluster/42-api`._');
      expect(notes).not.toContain('+ line 10');
    });

    it('keeps no more characters than the cap allows', () => {
      const notes = renderConflictNotes([task], { excerpt: { maxLines: 80, maxChars: 30 } });
      expect(notes).toContain('```diff\n+ line 0\n+ line 1\n+ line 2\n```');
      expect(notes).toContain('_… 47 more lines;');
    });
  });

  it('points at the branch when excerpts are omitted', () => {
    const notes = renderConflictNotes(sixTaskRun().tasks, { excerpt: 'omitted' });
    expect(notes).not.toContain('```');
    expect(notes).toContain('_Excerpt omitted, see branch `cluster/42-api`._');
  });

  it('keeps task, files and resolution on one line per conflict in compact form', () => {
    const notes = renderConflictNotes(sixTaskRun().tasks, { excerpt: 'omitted', compact: true });
    expect(notes).toContain(
      '- `auth`: `src/routes.ts`, `src/middleware/session.ts`; unresolved; retry with `/cluster retry auth`; excerpt omitted, see branch `cluster/42-auth`',
    );
  });

  it('uses a fence longer than any backtick run in the excerpt', () => {
    const excerpt = '+ const md = "````js";\n+ ```\n- ``';
    const notes = renderConflictNotes(
      [taskOutcome({ id: 'md', conflicts: [{ ...resolvedConflict, excerpt }] })],
      {
        excerpt: fullCap,
      },
    );
    expect(notes).toContain(`\`\`\`\`\`diff\n${excerpt}\n\`\`\`\`\``);
  });

  it('does not read touchedBy through the object prototype for a file named like a built-in key', () => {
    const note: ConflictNote = { ...resolvedConflict, files: ['__proto__', 'constructor'], touchedBy: {} };
    const notes = renderConflictNotes([taskOutcome({ id: 'a', conflicts: [note] })], { excerpt: fullCap });
    expect(notes).toContain('  - `__proto__`: no integrated task changed it');
    expect(notes).toContain('  - `constructor`: no integrated task changed it');
  });
});

describe('describeResolution', () => {
  const task = taskOutcome({ id: 'auth' });

  it.each([
    ['resolved', 'resolved by the agent'],
    ['retried', 're-run on the integration branch and merged'],
    ['skipped', 'left unmerged: branch `cluster/42-auth` kept; retry with `/cluster retry auth`'],
    ['unresolved', 'unresolved; retry with `/cluster retry auth`'],
  ] as const)('describes %s as "%s"', (resolution, words) => {
    expect(describeResolution({ ...resolvedConflict, resolution }, task)).toBe(words);
  });
});
