/**
 * The largest delay `setTimeout` honours: Node (and browsers) fire a larger one at once, which
 * would turn a six-hour token timer into a busy loop.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay that `setTimeout` honours: never negative, never above {@link MAX_TIMER_MS}. */
export function clampDelay(ms: number): number {
  if (Number.isNaN(ms)) return 0;
  return Math.max(0, Math.min(ms, MAX_TIMER_MS));
}

/** The largest epoch-ms time a `Date` can hold (8.64e15, about the year 275 760). */
export const MAX_EPOCH_MS = 8.64e15;

/**
 * The delay until the next check of a deadline: the time left, but no longer than the
 * wall-clock check interval (so sleep cannot hide a deadline), and within `setTimeout`'s range.
 */
export function delayUntil(
  deadline: number | undefined,
  now: number,
  checkEveryMs: number,
): number {
  const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now;
  return clampDelay(Math.min(left, checkEveryMs));
}
