import { halveCap, type LineCap } from './cap-lines.ts';
import { sanitizeText } from './escape-markdown.ts';
import { fitToLength, GITHUB_BODY_LIMIT } from './fit-to-length.ts';
import { formatCost } from './format-values.ts';
import { DEFAULT_EXCERPT_CAP, renderConflictNotes } from './render-conflict-notes.ts';
import { renderFailedTasks } from './render-failed-tasks.ts';
import { renderHeading, truncationNote } from './render-heading.ts';
import { renderMermaid } from './render-mermaid.ts';
import { renderOverlapWarnings } from './render-overlap-warnings.ts';
import { renderTaskSummaries } from './render-task-summaries.ts';
import { renderTaskTable } from './render-task-table.ts';
import { DEFAULT_VERIFY_TAIL_CAP, renderVerifyResult } from './render-verify-result.ts';
import { DEFAULT_PATCH_CAP, renderWithheldChanges } from './render-withheld-changes.ts';
import type { RunReport } from './report-model.ts';
import { type ReportCounts, summarizeCounts } from './summarize-report.ts';

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** Longest body to return, in characters (default 65,536: GitHub's pull-request body limit). */
  maxLength?: number;
}

/** How much detail one rendering of the report carries; see {@link reportLevels}. */
interface ReportDetail {
  excerpt: LineCap | 'omitted';
  verifyTail: LineCap | 'omitted';
  /** Cap of each withheld workflow patch; its path and reason stay in every level. */
  withheldPatch: LineCap | 'omitted';
  /** Longest title in a graph node; 0 shows ids only. */
  mermaid: number | 'omitted';
  summaryChars: number | 'omitted';
  table: 'full' | 'compact' | 'omitted';
  compactConflicts: boolean;
}

const MIN_EXCERPT_CHARS = 150;
const MIN_TAIL_CHARS = 300;

/**
 * The levels of detail, from most to least, in the order the report gives things up: conflict excerpts
 * (caps halved, then replaced by a pointer to the branch), the verify output tail, the Mermaid graph,
 * task summaries, withheld workflow patches (halved, then a pointer to the ledger), then the table's file names and the conflicts' file provenance. Conflict entries
 * (task, files, resolution) are in every level.
 */
function reportLevels(): ReportDetail[] {
  const levels: ReportDetail[] = [
    {
      excerpt: DEFAULT_EXCERPT_CAP,
      verifyTail: DEFAULT_VERIFY_TAIL_CAP,
      withheldPatch: DEFAULT_PATCH_CAP,
      mermaid: 40,
      summaryChars: 1000,
      table: 'full',
      compactConflicts: false,
    },
  ];
  const push = (change: Partial<ReportDetail>): void => {
    levels.push({ ...(levels.at(-1) as ReportDetail), ...change });
  };
  for (let cap = DEFAULT_EXCERPT_CAP; cap.maxChars / 2 >= MIN_EXCERPT_CHARS; ) {
    cap = halveCap(cap, MIN_EXCERPT_CHARS);
    push({ excerpt: cap });
  }
  push({ excerpt: 'omitted' });
  for (let cap = DEFAULT_VERIFY_TAIL_CAP; cap.maxChars / 2 >= MIN_TAIL_CHARS; ) {
    cap = halveCap(cap, MIN_TAIL_CHARS);
    push({ verifyTail: cap });
  }
  push({ verifyTail: 'omitted' });
  push({ mermaid: 0 });
  push({ mermaid: 'omitted' });
  push({ summaryChars: 200 });
  push({ summaryChars: 'omitted' });
  for (let cap = DEFAULT_PATCH_CAP; cap.maxChars / 2 >= MIN_EXCERPT_CHARS; ) {
    cap = halveCap(cap, MIN_EXCERPT_CHARS);
    push({ withheldPatch: cap });
  }
  push({ withheldPatch: 'omitted' });
  push({ table: 'compact' });
  push({ compactConflicts: true });
  push({ table: 'omitted' });
  return levels;
}

function renderAtLevel(report: RunReport, counts: ReportCounts, detail: ReportDetail): string {
  const { tasks } = report;
  const sections = [renderHeading(report, counts)];
  if (tasks.length > 0 && detail.table !== 'omitted') {
    const compact = detail.table === 'compact';
    sections.push(`## Tasks\n\n${renderTaskTable(tasks, compact ? { fileNames: 0, titleChars: 60 } : {})}`);
  } else if (tasks.length > 0) {
    sections.push('_Task table omitted to fit the length limit._');
  }
  if (tasks.length > 0 && detail.mermaid !== 'omitted') {
    sections.push(`## Task graph\n\n${renderMermaid(tasks, { titleChars: detail.mermaid })}`);
  }
  if (detail.summaryChars !== 'omitted') sections.push(renderTaskSummaries(tasks, detail.summaryChars));
  sections.push(
    renderWithheldChanges(tasks, {
      patch: detail.withheldPatch,
      integrationBranch: report.integrationBranch,
    }),
  );
  sections.push(renderConflictNotes(tasks, { excerpt: detail.excerpt, compact: detail.compactConflicts }));
  sections.push(renderOverlapWarnings(report.overlaps));
  sections.push(renderFailedTasks(tasks));
  if (report.verify !== undefined) sections.push(renderVerifyResult(report.verify, detail.verifyTail));
  if (tasks.length > 0) {
    sections.push(`**Totals:** ${formatCost(counts.costUsd)} agent cost, ${counts.turns} turns.`);
  }
  return sections.filter((s) => s !== '').join('\n\n');
}

/**
 * Renders the pull-request body of a run: heading and one-line summary, task table, Mermaid graph, task
 * summaries, changes a maintainer must apply, conflict notes, overlap warnings, failed and skipped tasks with retry hints, the verify
 * result, totals and `report.footer`; sections with nothing to say are left out. The body never exceeds
 * `maxLength`: detail is given up step by step (see {@link reportLevels}) and every conflict entry stays;
 * if even the smallest form is too long, it is cut and a final line says so.
 */
export function renderReport(report: RunReport, options: RenderReportOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_BODY_LIMIT;
  const counts = summarizeCounts(report);
  // The footer is the caller's Markdown (not escaped), but invisible marks are removed from it as from everything else.
  const footer = report.footer === undefined ? undefined : sanitizeText(report.footer).trim();
  return fitToLength(
    reportLevels(),
    (detail) => ({ body: renderAtLevel(report, counts, detail), ...(footer ? { footer } : {}) }),
    maxLength,
    truncationNote(report, maxLength),
  );
}
