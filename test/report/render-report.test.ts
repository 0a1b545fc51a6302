import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors/errors.ts';
import { renderReport } from '../../core/report/render-report.ts';
import type { TaskOutcome } from '../../core/report/report-model.ts';
import { resolvedConflict, runReport, sixTaskRun, taskOutcome } from './build-run-report.ts';

const LIMIT = 65_536;

/** The `## ` headings of a body, in order. */
function headings(body: string): string[] {
  return body
    .split('\n')
    .filter((l) => l.startsWith('## '))
    .map((l) => l.slice(3));
}

/** The body with every fenced block removed: what renders as prose, tables and lists. */
function outsideFences(body: string): string {
  let fence: string | undefined;
  const kept: string[] = [];
  for (const line of body.split('\n')) {
    const opener = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && opener !== undefined) fence = opener;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined) kept.push(line);
  }
  return kept.join('\n');
}

function hugeExcerpt(lines: number): string {
  return Array.from(
    { length: lines },
    (_, i) => `+   const value${i} = compute(${i}); // \`tick\` ${'x'.repeat(20)}`,
  ).join('\n');
}

describe('renderReport', () => {
  describe('for a six-task run with conflicts, an overlap, a failure and a verify failure', () => {
    const body = renderReport(sixTaskRun());

    it('opens with the issue title and the summary sentence', () => {
      expect(body.split('\n').slice(0, 3)).toEqual([
        '## Add user accounts',
        '',
        '3 of 6 tasks integrated (1 after resolving a conflict); 1 left conflicted; 1 failed; 1 skipped. Verify failed.',
      ]);
    });

    it('has every section, in the order a reviewer reads them', () => {
      expect(headings(body)).toEqual([
        'Add user accounts',
        'Tasks',
        'Task graph',
        'Task summaries',
        'Conflict notes',
        'Overlap warnings',
        'Failed and skipped tasks',
        'Verify',
      ]);
    });

    it('asks the reviewer to look at files that several tasks changed', () => {
      expect(body).toContain('please review them closely.\n\n- `src/routes.ts`: changed by `api`, `tests`');
    });

    it('gives each failed or skipped task its reason and a retry command', () => {
      expect(body).toContain(
        '- `ui` Build the sign-up form: **failed**: the agent stopped after its 30-turn limit\n  - Retry with `/cluster retry ui`',
      );
      expect(body).toContain('- `docs` Document the users API: **skipped**: it depends on `ui` (failed)');
    });

    it('shows the verify failure with the end of its output', () => {
      expect(body).toContain('**Failed:** `npm test` exited with code 1 after 31s.');
      expect(body).toContain('_Last lines of the output; 80 earlier lines not shown._');
      expect(body).toContain(
        'AssertionError: expected 201 to be 409\n Test Files  1 failed | 117 passed (118)\n```',
      );
    });

    it('ends with the totals and the footer', () => {
      expect(body.endsWith('**Totals:** $2.72 agent cost, 89 turns.\n\nCloses #42')).toBe(true);
    });
  });

  describe('for a run where every task merged cleanly', () => {
    const body = renderReport(runReport([taskOutcome({ id: 'a', costUsd: 0.1, turns: 3 })]));

    it('leaves out the sections with nothing to say', () => {
      expect(headings(body)).toEqual(['Add user accounts', 'Tasks', 'Task graph']);
    });
  });

  it('renders a small run in a reviewable format', () => {
    const report = runReport(
      [
        taskOutcome({
          id: 'db',
          title: 'Add the users table',
          files: ['src/db.ts'],
          costUsd: 0.3,
          turns: 12,
          durationMs: 65_000,
        }),
        taskOutcome({
          id: 'api',
          title: 'Add /users endpoints',
          dependsOn: ['db'],
          state: 'resolved',
          files: ['src/config.ts'],
          conflicts: [
            {
              ...resolvedConflict,
              excerpt: '++<<<<<<< HEAD\n+ a: 1,\n++=======\n+ b: 2,\n++>>>>>>> cluster/42-api',
            },
          ],
          costUsd: 0.5,
          turns: 20,
          durationMs: 125_000,
        }),
      ],
      {
        verify: {
          command: 'npm test',
          passed: true,
          exitCode: 0,
          outputTail: 'Tests  12 passed (12)',
          durationMs: 9_000,
        },
        footer: 'Closes #42',
      },
    );
    expect(renderReport(report)).toMatchInlineSnapshot(`
      "## Add user accounts

      2 of 2 tasks integrated (1 after resolving a conflict). Verify passed.

      Integration branch \`cluster/42\` at \`9f8e7d6\`, based on \`main\`.

      ## Tasks

      | Task | Status | Branch | Commit | Files | Cost | Turns | Duration |
      | --- | --- | --- | --- | --- | ---: | ---: | ---: |
      | \`db\` Add the users table | integrated | \`cluster/42-db\` | \`a1b2c3d\` | 1: \`src/db.ts\` | $0.30 | 12 | 1m 05s |
      | \`api\` Add /users endpoints | resolved | \`cluster/42-api\` | \`a1b2c3d\` | 1: \`src/config.ts\` | $0.50 | 20 | 2m 05s |

      ## Task graph

      \`\`\`mermaid
      graph TD
        t_db["db — Add the users table"]
        t_api["api — Add /users endpoints"]
        t_db --> t_api
        classDef integrated fill:#dafbe1,stroke:#1a7f37,color:#1f2328
        class t_db integrated
        classDef resolved fill:#ddf4ff,stroke:#0969da,color:#1f2328
        class t_api resolved
      \`\`\`

      ## Conflict notes

      Git could not merge these tasks on its own. Each entry names the files and how the conflict ended.

      ### \`api\` Add /users endpoints

      - **Resolution:** resolved by the agent
      - **Files:**
        - \`src/config.ts\`: also changed by \`db\`

      \`\`\`diff
      ++<<<<<<< HEAD
      + a: 1,
      ++=======
      + b: 2,
      ++>>>>>>> cluster/42-api
      \`\`\`

      ## Verify

      **Passed:** \`npm test\` exited with code 0 after 9s.

      \`\`\`text
      Tests  12 passed (12)
      \`\`\`

      **Totals:** $0.80 agent cost, 32 turns.

      Closes #42"
    `);
  });

  describe('with hostile text from agents and users', () => {
    const hostile = '| </details> <script>alert(1)</script> `x` [y](javascript:z)';
    const body = renderReport(
      runReport(
        [
          taskOutcome({
            id: 'a',
            title: hostile,
            summary: `${hostile}\n# heading\n| a | b |`,
            conflicts: [resolvedConflict],
          }),
          taskOutcome({ id: 'b', title: hostile, state: 'failed', reason: hostile }),
        ],
        { title: hostile },
      ),
    );

    it('shows no HTML tag or link outside code', () => {
      expect(outsideFences(body)).not.toMatch(/<|>|(?<!\\)\](?=\()/);
      expect(body).toContain(
        '## \\| &lt;/details&gt; &lt;script&gt;alert(1)&lt;/script&gt; \\`x\\` \\[y\\](javascript:z)',
      );
    });

    it('keeps summaries on their own line, so they cannot start a heading or a table', () => {
      expect(body).toContain('- `a`: \\| &lt;/details&gt;');
      expect(body.split('\n').filter((l) => l.startsWith('# '))).toEqual([]);
    });
  });

  it('fences an excerpt with a fence longer than the backtick runs inside it', () => {
    const excerpt = '+ const doc = `\n+ ````md\n+ ```';
    const body = renderReport(
      runReport([taskOutcome({ id: 'a', conflicts: [{ ...resolvedConflict, excerpt }] })]),
    );
    expect(body).toContain(`\`\`\`\`\`diff\n${excerpt}\n\`\`\`\`\``);
  });

  describe('with conflict excerpts far over the length limit', () => {
    const report = sixTaskRun();
    for (const task of report.tasks) {
      task.conflicts = task.conflicts.map((c) => ({ ...c, excerpt: hugeExcerpt(40_000) }));
    }
    const body = renderReport(report);

    it('stays within GitHub’s limit', () => {
      expect(body.length).toBeLessThanOrEqual(LIMIT);
    });

    it('keeps the first lines of each excerpt and says how many more there are', () => {
      expect(body).toContain('+   const value0 = compute(0);');
      expect(body).toMatch(/_… 39,?\d{3} more lines; see branch `cluster\/42-api`\._/);
    });

    it('keeps every other section', () => {
      expect(headings(body)).toContain('Verify');
      expect(body.endsWith('Closes #42')).toBe(true);
    });
  });

  describe('with 256 tasks, each with a huge conflict', () => {
    const tasks: TaskOutcome[] = Array.from({ length: 256 }, (_, i) =>
      taskOutcome({
        id: `task-${i}`,
        title: `Change module ${i} of the service layer`,
        state: i % 2 === 0 ? 'resolved' : 'conflicted',
        files: [`src/module-${i}/index.ts`, `src/module-${i}/handler.ts`, 'src/shared.ts'],
        summary: 'Reworked the module. '.repeat(40),
        conflicts: [
          {
            files: [`src/module-${i}/index.ts`, 'src/shared.ts'],
            touchedBy: { 'src/shared.ts': ['task-0'] },
            excerpt: hugeExcerpt(2_000),
            resolution: i % 2 === 0 ? 'resolved' : 'skipped',
          },
        ],
      }),
    );
    const body = renderReport(runReport(tasks, { footer: 'Closes #42' }));

    it('stays within GitHub’s limit', () => {
      expect(body.length).toBeLessThanOrEqual(LIMIT);
    });

    it('keeps every conflict with its task, files and resolution', () => {
      for (let i = 0; i < 256; i += 1) {
        const resolution =
          i % 2 === 0 ? 'resolved by the agent' : `left unmerged: branch \`cluster/42-task-${i}\` kept`;
        expect(body).toContain(
          `- \`task-${i}\`: \`src/module-${i}/index.ts\`, \`src/shared.ts\`; ${resolution}`,
        );
      }
    });

    it('replaces the excerpts with a pointer to the branch and keeps the footer', () => {
      expect(body).not.toContain('compute(');
      expect(body).toContain('excerpt omitted, see branch `cluster/42-task-255`');
      expect(body.endsWith('Closes #42')).toBe(true);
    });
  });

  describe('with a limit too small for even the smallest form', () => {
    it.each([2_000, 300, 120, 40, 1])('stays within %i characters', (maxLength) => {
      expect(renderReport(sixTaskRun(), { maxLength }).length).toBeLessThanOrEqual(maxLength);
    });

    it('says in its last line that it was cut, after the footer', () => {
      const body = renderReport(sixTaskRun(), { maxLength: 400 });
      expect(body).toMatch(/Closes #42\n\n_… Cut to fit the limit of 400 characters; .*_$/);
    });

    it('never leaves a fence open', () => {
      for (let maxLength = 200; maxLength <= 6_000; maxLength += 97) {
        const body = renderReport(sixTaskRun(), { maxLength });
        expect(body.length).toBeLessThanOrEqual(maxLength);
        const fences = body.split('\n').filter((l) => /^`{3,}/.test(l));
        expect(fences.length % 2).toBe(0);
      }
    });
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => renderReport(sixTaskRun(), { maxLength: 0 })).toThrow(InputError);
    expect(() => renderReport(sixTaskRun(), { maxLength: 1.5 })).toThrow(
      /maxLength must be a positive whole number/,
    );
  });
});
