import type { SessionClock } from '../../session/types.js';

/** A clock for tests: wall-clock time that moves only when told, with timers that follow it. */
export interface TestClock extends SessionClock {
  /** Moves time on by `ms`, running every timer that falls due, in order (also ones set meanwhile). */
  advance(ms: number): void;
  /** Moves the wall clock on by `ms` without running any timer, as a suspended machine sees it. */
  suspend(ms: number): void;
  /** How many timers are pending. */
  pending(): number;
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: (...args: unknown[]) => void;
}

/**
 * Creates a {@link TestClock} starting at `startMs` (epoch ms). Pass it as `clock` to
 * `createGstrSession` and as `now` to the mock provider, so that hours pass in microseconds.
 *
 * @example
 * ```ts
 * const clock = createTestClock(Date.UTC(2027, 0, 1));
 * const session = createGstrSession({ provider, gstin, username, clock });
 * clock.advance(6 * 60 * 60_000); // the token's six hours
 * ```
 */
export function createTestClock(startMs = Date.UTC(2027, 0, 1)): TestClock {
  let now = startMs;
  let seq = 0;
  const timers = new Map<number, Timer>();

  function nextDue(until: number): [number, Timer] | undefined {
    let best: [number, Timer] | undefined;
    for (const entry of timers) {
      const [, timer] = entry;
      if (timer.due > until) continue;
      if (
        !best ||
        timer.due < best[1].due ||
        (timer.due === best[1].due && timer.seq < best[1].seq)
      )
        best = entry;
    }
    return best;
  }

  return {
    now: () => now,
    setTimeout: (fn, timeout) => {
      seq += 1;
      timers.set(seq, { due: now + Math.max(0, timeout), seq, fn });
      return seq;
    },
    clearTimeout: (id) => {
      timers.delete(id as number);
    },
    advance: (ms) => {
      const target = now + Math.max(0, ms);
      for (let next = nextDue(target); next; next = nextDue(target)) {
        const [id, timer] = next;
        timers.delete(id);
        now = Math.max(now, timer.due);
        timer.fn();
      }
      now = target;
    },
    suspend: (ms) => {
      now += Math.max(0, ms);
    },
    pending: () => timers.size,
  };
}
