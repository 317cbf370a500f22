import { redactDeep } from '../secrets/redactDeep.js';
import type { SessionClock, SessionLogger } from '../session/types.js';
import { clampDelay } from '../time/delays.js';
import { DeadlineQueue, type Queued } from './DeadlineQueue.js';

/** How many due sessions one turn of the event loop wakes at most. */
export const WAKE_BATCH = 64;

/** One timer for every dormant session: each is woken at its own deadline. */
export interface Scheduler<T extends Queued> {
  /** Wakes `item` at `at` (epoch ms), replacing an earlier deadline of it. */
  add(item: T, at: number): void;
  remove(item: T): void;
  /** Stops the timer for good. */
  stop(): void;
}

/**
 * Creates the scheduler of dormant sessions: a binary heap of deadlines and one timer, re-armed
 * at least every `clockCheckMs`, so that a sleep or a suspended process cannot hide a deadline.
 * A failing `onDue` is logged: a timer callback must never throw, which would end the process.
 */
export function createScheduler<T extends Queued>(options: {
  readonly clock: SessionClock;
  readonly clockCheckMs: number;
  readonly onDue: (item: T) => void;
  readonly logger: SessionLogger | undefined;
}): Scheduler<T> {
  const { clock, clockCheckMs, onDue, logger } = options;
  const queue = new DeadlineQueue<T>();
  let timer: unknown;
  let timerDue = Number.POSITIVE_INFINITY;
  let stopped = false;

  function arm(): void {
    const due = queue.peek();
    if (due === undefined || stopped) return;
    const at = Math.min(due, clock.now() + clockCheckMs);
    if (timer !== undefined && timerDue <= at) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timerDue = at;
    timer = clock.setTimeout(fire, clampDelay(at - clock.now()));
  }

  function fire(): void {
    timer = undefined;
    timerDue = Number.POSITIVE_INFINITY;
    // A bounded batch a turn: a wave of thousands falling due at once (after an outage, a
    // deploy, a paused VM) is woken over many turns of the event loop, so that the store's
    // commands and the provider's answers are read in between (one long turn timed them out).
    // What is left is due now: arm() fires again at once, on a new turn.
    for (const item of queue.takeDue(clock.now(), WAKE_BATCH)) {
      try {
        onDue(item);
      } catch (error) {
        logger?.error?.('gstr-session manager: a due session could not be woken', {
          error: redactDeep(error),
        });
      }
    }
    arm();
  }

  return {
    add(item, at) {
      queue.add(item, at);
      arm();
    },
    remove: (item) => queue.remove(item),
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
