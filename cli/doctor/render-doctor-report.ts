import type { DoctorCheckResult } from './doctor-checks.ts';

const MARKS: Record<DoctorCheckResult['status'], string> = { pass: '✓', fail: '✗', skip: '-' };

/** One line per check (`✓ git: git 2.43.0`), then a summary line. */
export function renderDoctorReport(results: DoctorCheckResult[]): string {
  const lines = results.map((result) => `${MARKS[result.status]} ${result.name}: ${result.detail}`);
  const failed = results.filter((result) => result.status === 'fail').length;
  lines.push(
    '',
    failed === 0
      ? 'Ready: a first run has what it needs.'
      : `${failed} ${failed === 1 ? 'check' : 'checks'} failed: fix ${failed === 1 ? 'it' : 'them'} as said above, then run \`claude-cluster doctor\` again.`,
  );
  return `${lines.join('\n')}\n`;
}
