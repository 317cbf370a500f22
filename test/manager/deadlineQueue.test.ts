import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/manager/DeadlineQueue.js';

/** A queue item (the queue keeps its ticket on it). */
interface Item {
  readonly name: string | number;
  queueTicket: number;
}
const items = (...names: (string | number)[]): Item[] =>
  names.map((name) => ({ name, queueTicket: 0 }));
const names = (taken: readonly Item[]) => taken.map((item) => item.name);

describe('DeadlineQueue', () => {
  it('gives back due items in time order and keeps the rest', () => {
    const queue = new DeadlineQueue<Item>();
    const [a, b, c] = items('a', 'b', 'c') as [Item, Item, Item];
    queue.add(c, 30);
    queue.add(a, 10);
    queue.add(b, 20);
    expect(queue.peek()).toBe(10);
    expect(names(queue.takeDue(20))).toEqual(['a', 'b']);
    expect(queue.size).toBe(1);
    expect(queue.peek()).toBe(30);
  });

  it('forgets removed items and reschedules re-added ones', () => {
    const queue = new DeadlineQueue<Item>();
    const [a, b] = items('a', 'b') as [Item, Item];
    queue.add(a, 10);
    queue.add(b, 20);
    queue.remove(a);
    queue.remove(a);
    queue.add(b, 5);
    expect(queue.size).toBe(1);
    expect(queue.peek()).toBe(5);
    expect(names(queue.takeDue(100))).toEqual(['b']);
    expect(queue.peek()).toBeUndefined();
    expect(queue.size).toBe(0);
    // A removed item scheduled again is due at its new time only.
    queue.add(a, 50);
    expect(queue.takeDue(49)).toEqual([]);
    expect(names(queue.takeDue(50))).toEqual(['a']);
  });

  test.prop([
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_000 }), fc.boolean()),
      { maxLength: 200 },
    ),
    fc.integer({ min: 0, max: 1_000 }),
  ])('takes exactly the items whose latest deadline is due, in deadline order', (ops, now) => {
    const queue = new DeadlineQueue<Item>();
    const pool = items(...Array.from({ length: 51 }, (_, i) => i));
    const latest = new Map<Item, number>();
    for (const [index, due, remove] of ops) {
      const item = pool[index] as Item;
      if (remove) {
        queue.remove(item);
        latest.delete(item);
      } else {
        queue.add(item, due);
        latest.set(item, due);
      }
    }
    const due = queue.takeDue(now);
    const expected = [...latest].filter(([, d]) => d <= now).sort((x, y) => x[1] - y[1]);
    expect(due.map((item) => latest.get(item))).toEqual(expected.map(([, d]) => d));
    expect(new Set(due)).toEqual(new Set(expected.map(([item]) => item)));
    expect(queue.size).toBe(latest.size - due.length);
  });
});
