import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../core/integrate/read-ledger.ts';
import {
  dispatchOwners,
  formatDispatchRecord,
  formatExpiredToken,
  newDispatchToken,
  parseDispatchRecord,
} from '../../core/orchestrate/dispatch-record.ts';

let commit = 0;
const dispatch = (token: string, tasks: [string, number][], workflowRun?: number): LedgerRecord => ({
  event: 'dispatch',
  run: 'r',
  excerpt: formatDispatchRecord({
    token,
    tasks: tasks.map(([id, attempt]) => ({ id, attempt })),
    ...(workflowRun === undefined ? {} : { workflowRun }),
  }),
  ledgerCommit: `c${++commit}`,
});
const retry = (task: string): LedgerRecord => ({
  event: 'retry',
  run: 'r',
  task,
  ledgerCommit: `c${++commit}`,
});
const A = 'a'.repeat(16);
const B = 'b'.repeat(16);

describe('newDispatchToken', () => {
  it('gives a different valid token each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, newDispatchToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens)
      expect(
        parseDispatchRecord(formatDispatchRecord({ token, tasks: [{ id: 'x', attempt: 1 }] }))?.token,
      ).toBe(token);
  });
});

describe('formatDispatchRecord', () => {
  it('refuses a record that names no task', () => {
    expect(() => formatDispatchRecord({ token: A, tasks: [] })).toThrow();
  });
});

describe('parseDispatchRecord', () => {
  it('reads back what was written, with the workflow run', () => {
    const text = formatDispatchRecord({ token: A, tasks: [{ id: 'api', attempt: 2 }], workflowRun: 7 });
    expect(parseDispatchRecord(text)).toEqual({
      token: A,
      tasks: [{ id: 'api', attempt: 2 }],
      workflowRun: 7,
    });
  });

  it.each([
    ['not JSON', '{'],
    ['another shape', '{"claims":["claims/api"]}'],
    ['a token that is not 16 hex digits', '{"token":"zz","tasks":[{"id":"api","attempt":1}]}'],
    ['an invalid task id', `{"token":"${A}","tasks":[{"id":"API!","attempt":1}]}`],
    ['nothing', undefined],
  ])('ignores %s', (_case, excerpt) => {
    expect(parseDispatchRecord(excerpt)).toBeUndefined();
  });
});

describe('dispatchOwners', () => {
  describe('when two dispatches named the same task attempt', () => {
    it('gives it to the first in ledger order', () => {
      const owners = dispatchOwners([
        dispatch(A, [
          ['api', 1],
          ['db', 1],
        ]),
        dispatch(B, [['api', 1]]),
      ]);
      expect(owners.get('api')?.token).toBe(A);
      expect(owners.get('db')?.token).toBe(A);
    });
  });

  describe('when a job expired its dispatch (it gave up waiting for the record)', () => {
    it('gives that dispatch nothing, whether its record landed before or after the expiry', () => {
      const expire: LedgerRecord = {
        event: 'expire',
        run: 'r',
        task: 'api',
        excerpt: formatExpiredToken(A),
        ledgerCommit: `c${++commit}`,
      };
      expect(dispatchOwners([dispatch(A, [['api', 1]]), expire]).get('api')).toBeUndefined();
      expect(dispatchOwners([expire, dispatch(A, [['api', 1]])]).get('api')).toBeUndefined();
      expect(
        dispatchOwners([expire, dispatch(A, [['api', 1]]), dispatch(B, [['api', 1]])]).get('api')?.token,
      ).toBe(B);
    });
  });

  describe('after a retry', () => {
    it('owns nothing until a dispatch of the new attempt, which then owns it', () => {
      const ledger = [dispatch(A, [['api', 1]]), retry('api')];
      expect(dispatchOwners(ledger).get('api')).toBeUndefined();
      // A late entry for the old attempt does not take the new one.
      expect(dispatchOwners([...ledger, dispatch(A, [['api', 1]])]).get('api')).toBeUndefined();
      expect(dispatchOwners([...ledger, dispatch(B, [['api', 2]], 9)]).get('api')).toMatchObject({
        token: B,
        workflowRun: 9,
      });
    });
  });
});
