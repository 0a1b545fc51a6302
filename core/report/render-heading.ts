import { clip, codeSpan, escapeText } from './escape-markdown.ts';
import { countOf, shortSha } from './format-values.ts';
import { countWithheld } from './render-withheld-changes.ts';
import type { RunReport } from './report-model.ts';
import { describeCounts, type ReportCounts } from './summarize-report.ts';

/**
 * Renders the top of a report or status view: the run's title as a heading, the one-line summary (saying when
 * changes were withheld), and
 * the integration branch with its base and head commit.
 */
export function renderHeading(report: RunReport, counts: ReportCounts): string {
  const title =
    report.title.trim() === '' ? `Run ${codeSpan(report.runId)}` : escapeText(clip(report.title, 200));
  const head =
    report.integrationCommit === undefined ? '' : ` at ${codeSpan(shortSha(report.integrationCommit))}`;
  const branch = `Integration branch ${codeSpan(report.integrationBranch)}${head}, based on ${codeSpan(report.base)}.`;
  return [`## ${title}`, '', describeOutcome(report, counts), '', branch].join('\n');
}

/**
 * The one-line summary of a run (see `describeCounts`), followed by how many changes were withheld for a maintainer
 * to apply, when any were.
 */
export function describeOutcome(report: RunReport, counts: ReportCounts): string {
  const withheld = countWithheld(report.tasks);
  if (withheld === 0) return describeCounts(counts);
  const them = withheld === 1 ? 'it' : 'them';
  return `${describeCounts(counts)} ${countOf(withheld, 'change was', 'changes were')} withheld: a maintainer must apply ${them} (see "Changes a maintainer must apply").`;
}

/** The final line of a view that even in its smallest form did not fit its length limit. */
export function truncationNote(report: RunReport, maxLength: number): string {
  return (
    `_… Cut to fit the limit of ${maxLength} characters; the integration branch ` +
    `${codeSpan(report.integrationBranch)} and the task branches hold everything._`
  );
}
