import { onAbort } from './abortable.js';
import type { SessionClock } from './clock.js';
import { clampDelay } from './delays.js';
import { systemWaitClock } from './systemClock.js';

/** Options of {@link sleep}. */
export interface SleepOptions {
  /** Ends the sleep early: it rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Whose time passes (a test clock, a scaled clock). Default the system's, referenced. */
  readonly clock?: SessionClock | undefined;
}

/**
 * Resolves after `ms` on `clock`, or rejects with the signal's reason when it aborts first;
 * the timer and the listener are gone either way.
 */
export function sleep(ms: number, options: SleepOptions = {}): Promise<void> {
  const { signal, clock = systemWaitClock } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const stop = onAbort(signal, () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    });
    const timer = clock.setTimeout(() => {
      stop();
      resolve();
    }, clampDelay(ms));
  });
}
