import { describe, expect, it } from 'vitest';
import { renderReport } from '../../core/report/render-report.ts';
import { renderWithheldChanges } from '../../core/report/render-withheld-changes.ts';
import { runReport, taskOutcome } from './build-run-report.ts';

const PATCH = [
  'diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml',
  'index 1111111..2222222 100644',
  '--- a/.github/workflows/ci.yml',
  '+++ b/.github/workflows/ci.yml',
  '@@ -1,2 +1,3 @@',
  ' name: ci',
  ' on: push',
  '+# ```',
  '',
].join('\n');

const ci = taskOutcome({
  id: 'ci',
  title: 'Lint in CI <script>',
  withheld: [
    { path: '.github/workflows/ci.yml', reason: 'workflow', bytes: 30, patch: PATCH },
    { path: 'assets/`big`.bin', reason: 'size', bytes: 150 * 1024 * 1024 },
  ],
});

describe('the "Changes a maintainer must apply" section', () => {
  it('lists each withheld path with why, and a workflow patch in a diff block its backticks cannot close', () => {
    const section = renderWithheldChanges([ci, taskOutcome({ id: 'other' })], {
      patch: { maxLines: 400, maxChars: 20_000 },
      integrationBranch: 'cluster/42',
    });
    expect(section).toContain('## Changes a maintainer must apply');
    expect(section).toContain('### `ci` Lint in CI &lt;script&gt;');
    expect(section).toContain('`git apply <file>` on `cluster/42`');
    expect(section).toContain(
      "- `.github/workflows/ci.yml`: changes a workflow file; a job's token lacks the `workflows` permission",
    );
    expect(section).toContain('  ````diff\n  diff --git a/.github/workflows/ci.yml');
    expect(section).toContain('  +# ```\n  ````');
    expect(section).toContain("- ``assets/`big`.bin``: larger than GitHub's file size limit (150.00 MB)");
    expect(section).not.toContain('`other`');
  });

  it('is left out when no task withheld anything', () => {
    expect(
      renderWithheldChanges([taskOutcome({ id: 'a' })], { patch: 'omitted', integrationBranch: 'b' }),
    ).toBe('');
  });

  it('keeps every path and reason when the body must shrink, giving up the patch first', () => {
    const long = `${PATCH}${Array.from({ length: 3000 }, (_, i) => `+  - run: step ${i}`).join('\n')}\n`;
    const report = runReport([
      taskOutcome({
        id: 'ci',
        withheld: [{ path: '.github/workflows/ci.yml', reason: 'workflow', bytes: long.length, patch: long }],
      }),
    ]);
    const full = renderReport(report);
    expect(full).toContain('1 change was withheld: a maintainer must apply it');
    expect(full).toContain("the task's entry on the run's ledger branch holds the patch");
    const small = renderReport(report, { maxLength: 1_000 });
    expect(small.length).toBeLessThanOrEqual(1_000);
    expect(small).toContain('- `.github/workflows/ci.yml`: changes a workflow file');
    expect(small).toContain('_Patch omitted to fit the length limit;');
  });
});
