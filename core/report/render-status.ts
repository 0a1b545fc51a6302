import { fitToLength, GITHUB_BODY_LIMIT } from './fit-to-length.ts';
import { renderHeading, truncationNote } from './render-heading.ts';
import { renderMermaid } from './render-mermaid.ts';
import { renderTaskTable } from './render-task-table.ts';
import type { RunReport } from './report-model.ts';
import { summarizeCounts } from './summarize-report.ts';

/** Options of {@link renderStatus}. */
export interface RenderStatusOptions {
  /** Longest view to return, in characters (default 65,536: GitHub's comment body limit). */
  maxLength?: number;
}

/** Levels of detail of the status view, from most to least. */
const STATUS_LEVELS = [
  { mermaid: 40, table: 'full' },
  { mermaid: 0, table: 'full' },
  { mermaid: 'omitted', table: 'full' },
  { mermaid: 'omitted', table: 'compact' },
  { mermaid: 'omitted', table: 'omitted' },
] as const;

type StatusDetail = (typeof STATUS_LEVELS)[number];

function renderAtLevel(report: RunReport, detail: StatusDetail): string {
  const sections = [renderHeading(report, summarizeCounts(report))];
  if (report.tasks.length > 0) {
    if (detail.table === 'omitted') sections.push('_Task table omitted to fit the length limit._');
    else
      sections.push(
        renderTaskTable(report.tasks, detail.table === 'compact' ? { fileNames: 0, titleChars: 60 } : {}),
      );
    if (detail.mermaid !== 'omitted')
      sections.push(renderMermaid(report.tasks, { titleChars: detail.mermaid }));
  }
  return sections.join('\n\n');
}

/**
 * Renders the short status view of a run, for a status comment or a terminal: the summary line, the task
 * table (with `pending`, `running` and `integrating` tasks as they are) and the Mermaid graph. Capped at
 * `maxLength` like {@link renderReport}: the graph goes first, then the table's detail.
 */
export function renderStatus(report: RunReport, options: RenderStatusOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_BODY_LIMIT;
  return fitToLength(
    STATUS_LEVELS,
    (detail) => ({ body: renderAtLevel(report, detail) }),
    maxLength,
    truncationNote(report, maxLength),
  );
}
