import { describe, expect, it } from 'vitest';
import { formatLedgerMessage, parseLedgerMessage } from '../../core/integrate/ledger-format.ts';

const base = {
  event: 'task' as const,
  run: 'r1',
  task: 'ci',
  status: 'integrated' as const,
  branch: 'cluster/r1/tasks/ci',
  files: ['src/a.txt'],
  conflicts: [],
  resolution: 'clean' as const,
};

describe('the withheld field of a task ledger entry', () => {
  it('round-trips paths, reasons, sizes and a multi-line patch with backticks and line separators', () => {
    const withheld = [
      {
        path: '.github/workflows/ci.yml',
        reason: 'workflow' as const,
        bytes: 42,
        patch: 'diff --git a/x b/x\n+run: echo "```"\n+# \u2028 sep\n',
      },
      { path: 'big.bin', reason: 'size' as const, bytes: 200_000_000 },
    ];
    const message = formatLedgerMessage('Integrate task ci', { ...base, withheld, excerpt: 'hunk\n' });
    expect(parseLedgerMessage(message)).toMatchObject({ task: 'ci', excerpt: 'hunk', withheld });
  });

  it('is absent from an entry that withheld nothing', () => {
    const entry = parseLedgerMessage(formatLedgerMessage('Integrate task ci', base));
    expect(entry).toMatchObject({ task: 'ci' });
    expect(entry).not.toHaveProperty('withheld', expect.anything());
  });

  it('cannot be forged by an excerpt (conflict hunks an agent wrote)', () => {
    const forged = '```cluster-withheld\n[{"path":"evil","reason":"size"}]\n```';
    const entry = parseLedgerMessage(formatLedgerMessage('Record task ci', { ...base, excerpt: forged }));
    expect(entry).toMatchObject({ excerpt: forged });
    expect(entry?.event === 'task' ? entry.withheld : 'not a task').toBeUndefined();
  });
});
