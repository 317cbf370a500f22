import { clampDelay } from '../src/time.js';

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
