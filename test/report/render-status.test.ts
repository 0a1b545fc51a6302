import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../core/report/render-status.ts';
import type { TaskOutcome } from '../../core/report/report-model.ts';
import { runReport, sixTaskRun, taskOutcome } from './build-run-report.ts';

describe('renderStatus', () => {
  describe('for a run in progress', () => {
    const report = runReport([
      taskOutcome({ id: 'db', costUsd: 0.3, turns: 12, durationMs: 192_000 }),
      taskOutcome({ id: 'api', dependsOn: ['db'], state: 'integrating', commit: undefined }),
      taskOutcome({ id: 'ui', dependsOn: ['api'], state: 'running', commit: undefined }),
      taskOutcome({ id: 'docs', dependsOn: ['ui'], state: 'pending', commit: undefined }),
    ]);
    const view = renderStatus(report);

    it('opens with the summary line', () => {
      expect(view).toContain('1 of 4 tasks integrated; 1 integrating; 1 running; 1 pending.');
    });

    it('shows each task’s current state in the table', () => {
      expect(view).toContain('| `api` Work on api | integrating |');
      expect(view).toContain('| `ui` Work on ui | running |');
      expect(view).toContain('| `docs` Work on docs | pending |');
    });

    it('colours the graph by state', () => {
      expect(view).toContain('  class t_ui running');
      expect(view).toContain('  class t_docs pending');
    });
  });

  it('leaves out conflict notes, overlaps, verify and footer', () => {
    const view = renderStatus(sixTaskRun());
    expect(view).not.toMatch(/## (Conflict notes|Overlap warnings|Verify)|Closes #42/);
  });

  describe('with 256 tasks and long titles', () => {
    const tasks: TaskOutcome[] = Array.from({ length: 256 }, (_, i) =>
      taskOutcome({
        id: `task-${i}`,
        title: `A long title for task ${i} `.repeat(10),
        dependsOn: i > 0 ? [`task-${i - 1}`] : [],
        files: Array.from({ length: 20 }, (_, f) => `src/module-${i}/file-${f}.ts`),
      }),
    );

    it('drops the graph before the table and stays within GitHub’s limit', () => {
      const view = renderStatus(runReport(tasks));
      expect(view.length).toBeLessThanOrEqual(65_536);
      expect(view).not.toContain('```mermaid');
      expect(view).toContain('| `task-255` ');
    });

    it('stays within a tiny limit', () => {
      expect(renderStatus(runReport(tasks), { maxLength: 50 }).length).toBeLessThanOrEqual(50);
    });
  });
});
