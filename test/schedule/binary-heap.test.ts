import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '../../core/schedule/binary-heap.ts';

describe('BinaryHeap', () => {
  it('pops every pushed item in the order of `before`', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), (values) => {
        const heap = new BinaryHeap<number>((a, b) => a < b);
        for (const value of values) heap.push(value);
        const popped: number[] = [];
        while (heap.size > 0) popped.push(heap.pop()!);
        expect(popped).toEqual([...values].sort((a, b) => a - b));
      }),
    );
  });

  it('keeps its order when pushes and pops interleave', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined })), (operations) => {
        const heap = new BinaryHeap<number>((a, b) => a > b);
        const model: number[] = [];
        for (const operation of operations) {
          if (operation === undefined) {
            model.sort((a, b) => b - a);
            expect(heap.pop()).toBe(model.shift());
          } else {
            heap.push(operation);
            model.push(operation);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
    );
  });

  it('answers undefined when empty', () => {
    const heap = new BinaryHeap<string>((a, b) => a < b);
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
  });
});
