import { describe, expect, it } from 'vitest';
import { createSerializeByKey } from '../../app/serialize-by-key.ts';

/** Work that records when it starts and ends, and finishes when `release` is called. */
function heldWork(log: string[], name: string) {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    release: () => release(),
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createSerializeByKey', () => {
  describe('with two calls under one key', () => {
    it('starts the second only after the first has finished', async () => {
      const serialize = createSerializeByKey();
      const log: string[] = [];
      const first = heldWork(log, 'a1');
      const second = heldWork(log, 'a2');
      const results = [serialize('a', first.work), serialize('a', second.work)];
      await tick();
      expect(log).toEqual(['start a1']);
      first.release();
      second.release();
      expect(await Promise.all(results)).toEqual(['a1', 'a2']);
      expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
    });
  });

  describe('with calls under different keys', () => {
    it('runs them at the same time', async () => {
      const serialize = createSerializeByKey();
      const log: string[] = [];
      const a = heldWork(log, 'a');
      const b = heldWork(log, 'b');
      const results = [serialize('a', a.work), serialize('b', b.work)];
      await tick();
      expect(log).toEqual(['start a', 'start b']);
      a.release();
      b.release();
      await Promise.all(results);
    });
  });

  describe('when a call fails', () => {
    it('rejects that call only and runs the next one', async () => {
      const serialize = createSerializeByKey();
      const failed = serialize('a', async () => {
        throw new Error('reconcile failed');
      });
      const next = serialize('a', async () => 'next');
      await expect(failed).rejects.toThrow('reconcile failed');
      expect(await next).toBe('next');
    });
  });

  describe('after a key fell idle', () => {
    it('serializes new calls under it again', async () => {
      const serialize = createSerializeByKey();
      await serialize('a', async () => 'first');
      const log: string[] = [];
      const first = heldWork(log, 'x');
      const second = heldWork(log, 'y');
      const results = [serialize('a', first.work), serialize('a', second.work)];
      await tick();
      expect(log).toEqual(['start x']);
      first.release();
      second.release();
      await Promise.all(results);
    });
  });
});
