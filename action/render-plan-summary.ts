import {
  type PlanRecordView,
  plannedTaskOutcomes,
  type RunRecord,
  renderPlanHeading,
} from '../core/github/plan-record.ts';
import type { MatrixEntry } from '../core/plan/ready-matrix.ts';
import { codeSpan, httpsLink } from '../core/report/escape-markdown.ts';
import { fitToLength } from '../core/report/fit-to-length.ts';
import { renderMermaid } from '../core/report/render-mermaid.ts';
import { renderTaskTable } from '../core/report/render-task-table.ts';

/**
 * A job summary may hold 1 MiB; a UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair, 2 units, takes
 * 4), so this many characters always fit.
 */
export const STEP_SUMMARY_MAX_CHARS = Math.floor((1024 * 1024) / 3);

/** What the plan job's summary shows. */
export interface PlanSummaryInput {
  record: RunRecord;
  view: PlanRecordView;
  /** The matrix of tasks ready to start. */
  ready: readonly MatrixEntry[];
  /** The published record comment. */
  commentUrl: string;
  maxLength?: number;
}

const LEVELS = [
  { table: 'full', mermaid: 40 },
  { table: 'compact', mermaid: 0 },
  { table: 'compact', mermaid: 'omitted' },
] as const;

/**
 * The job summary of plan mode: the plan's heading (title, task count, budget estimate, who planned it), where the
 * record was published, which tasks start first, the task table and the Mermaid graph. Untrusted text is escaped;
 * the result fits GitHub's 1 MiB summary limit.
 */
export function renderPlanSummary(input: PlanSummaryInput): string {
  const tasks = plannedTaskOutcomes(input.record.plan);
  const ready = input.ready.map((entry) => codeSpan(entry.id)).join(', ');
  const comment = `Recorded in ${httpsLink('the plan comment', input.commentUrl) || 'the plan comment'} on the issue.`;
  return fitToLength(
    LEVELS,
    (level) => {
      const sections = [
        renderPlanHeading(input.record, input.view),
        comment,
        `Ready to start (${input.ready.length}, critical path first): ${ready || 'none'}.`,
        renderTaskTable(tasks, level.table === 'compact' ? { fileNames: 0, titleChars: 60 } : {}),
      ];
      if (level.mermaid !== 'omitted') sections.push(renderMermaid(tasks, { titleChars: level.mermaid }));
      return { body: sections.join('\n\n') };
    },
    input.maxLength ?? STEP_SUMMARY_MAX_CHARS,
    '_… Cut to fit the job summary limit; the plan comment on the issue holds the whole plan._',
  );
}
