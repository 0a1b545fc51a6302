import { describe, expect, it } from 'vitest';
import { describeCounts, ReportCountsSchema, summarizeCounts } from '../../core/report/summarize-report.ts';
import { runReport, sixTaskRun, taskOutcome } from './build-run-report.ts';

describe('summarizeCounts', () => {
  describe('for a run with a conflict, a failure and a skip', () => {
    const counts = summarizeCounts(sixTaskRun());

    it('counts the tasks per state', () => {
      expect(counts.byState).toEqual({
        integrated: 2,
        resolved: 1,
        conflicted: 1,
        failed: 1,
        skipped: 1,
        integrating: 0,
        running: 0,
        pending: 0,
      });
      expect(counts.total).toBe(6);
      expect(counts.integrated).toBe(3);
    });

    it('adds up cost and turns, counting tasks without them as zero', () => {
      expect(counts.costUsd).toBeCloseTo(2.7225, 6);
      expect(counts.turns).toBe(89);
    });

    it('reports the verify failure and that the run did not succeed', () => {
      expect(counts.verify).toBe('failed');
      expect(counts.succeeded).toBe(false);
    });

    it('matches its schema, so the CLI can print it as JSON', () => {
      expect(ReportCountsSchema.parse(counts)).toEqual(counts);
    });
  });

  describe('for a run where everything was integrated and verify was not run', () => {
    it('says the run succeeded', () => {
      const counts = summarizeCounts(
        runReport([taskOutcome({ id: 'a' }), taskOutcome({ id: 'b', state: 'resolved' })]),
      );
      expect(counts).toMatchObject({ integrated: 2, verify: 'not-run', succeeded: true });
    });
  });
});

describe('describeCounts', () => {
  it('names integrated, resolved, conflicted, failed and skipped tasks and the verify result', () => {
    expect(describeCounts(summarizeCounts(sixTaskRun()))).toBe(
      '3 of 6 tasks integrated (1 after resolving a conflict); 1 left conflicted; 1 failed; 1 skipped. Verify failed.',
    );
  });

  it('uses the singular for one task and leaves out states no task is in', () => {
    expect(describeCounts(summarizeCounts(runReport([taskOutcome({ id: 'a' })])))).toBe(
      '1 of 1 task integrated.',
    );
  });

  it('names tasks still in progress', () => {
    const report = runReport([
      taskOutcome({ id: 'a', state: 'running' }),
      taskOutcome({ id: 'b', state: 'pending' }),
      taskOutcome({ id: 'c', state: 'integrating' }),
    ]);
    expect(describeCounts(summarizeCounts(report))).toBe(
      '0 of 3 tasks integrated; 1 integrating; 1 running; 1 pending.',
    );
  });

  it('says so when the plan has no tasks', () => {
    expect(describeCounts(summarizeCounts(runReport([])))).toBe('The plan has no tasks.');
  });
});
