import { describe, expect, it } from 'vitest';
import type { Queued } from '../../src/manager/DeadlineQueue.js';
import { createScheduler, WAKE_BATCH } from '../../src/manager/scheduler.js';
import type { SessionClock } from '../../src/time/clock.js';

/** A clock whose timers run only when the test runs them, one turn at a time. */
function turnByTurn(now: number) {
  const timers: { fn: () => void; at: number }[] = [];
  const clock: SessionClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const timer = { fn: fn as () => void, at: now + ms };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (id) => {
      const at = timers.indexOf(id as (typeof timers)[number]);
      if (at >= 0) timers.splice(at, 1);
    },
  };
  const turn = (): boolean => {
    const next = timers.shift();
    next?.fn();
    return next !== undefined;
  };
  return { clock, turn, pending: () => timers.length, nextDelay: () => (timers[0]?.at ?? 0) - now };
}

describe('the scheduler of dormant sessions', () => {
  it('wakes a wave that fell due at once in bounded batches, one turn of the event loop each', () => {
    // Arrange: ten batches' worth of sessions, all due now.
    const t0 = Date.UTC(2027, 0, 1);
    const { clock, turn, nextDelay } = turnByTurn(t0);
    const woken: number[] = [];
    const scheduler = createScheduler<Queued & { n: number }>({
      clock,
      clockCheckMs: 30_000,
      onDue: (item) => woken.push(item.n),
      logger: undefined,
    });
    const count = WAKE_BATCH * 10;
    for (let n = 0; n < count; n += 1) scheduler.add({ n } as Queued & { n: number }, t0 - 1);

    // Act: one turn.
    turn();

    // Assert: one batch, and the next turn comes at once.
    expect(woken).toHaveLength(WAKE_BATCH);
    expect(nextDelay()).toBe(0);
    let turns = 1;
    while (woken.length < count && turn()) turns += 1;
    expect(woken).toHaveLength(count);
    expect(new Set(woken).size).toBe(count);
    expect(turns).toBe(10);
    scheduler.stop();
  });
});
