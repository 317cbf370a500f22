import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/manager/DeadlineQueue.js';

describe('DeadlineQueue', () => {
  it('gives back due items in time order and keeps the rest', () => {
    const queue = new DeadlineQueue<string>();
    queue.add('c', 30);
    queue.add('a', 10);
    queue.add('b', 20);
    expect(queue.peek()).toBe(10);
    expect(queue.takeDue(20)).toEqual(['a', 'b']);
    expect(queue.size).toBe(1);
    expect(queue.peek()).toBe(30);
  });

  it('forgets removed items and reschedules re-added ones', () => {
    const queue = new DeadlineQueue<string>();
    queue.add('a', 10);
    queue.add('b', 20);
    queue.remove('a');
    queue.add('b', 5);
    expect(queue.peek()).toBe(5);
    expect(queue.takeDue(100)).toEqual(['b']);
    expect(queue.peek()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_000 })), {
      maxLength: 200,
    }),
    fc.integer({ min: 0, max: 1_000 }),
  ])('takes exactly the items whose latest deadline is due, in deadline order', (adds, now) => {
    const queue = new DeadlineQueue<number>();
    const latest = new Map<number, number>();
    for (const [item, due] of adds) {
      queue.add(item, due);
      latest.set(item, due);
    }
    const due = queue.takeDue(now);
    const expected = [...latest].filter(([, d]) => d <= now).sort((x, y) => x[1] - y[1]);
    expect(due.map((item) => latest.get(item))).toEqual(expected.map(([, d]) => d));
    expect(new Set(due)).toEqual(new Set(expected.map(([item]) => item)));
    expect(queue.size).toBe(latest.size - due.length);
  });
});
