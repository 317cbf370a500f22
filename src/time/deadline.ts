import { isGstrError } from '../errors/isGstrError.js';
import { onAbort, untilAborted } from './abortable.js';

/** One step's time budget: a signal that aborts when the caller aborts or the time is up. */
export interface StepDeadline {
  /** Aborts on the caller's abort or at the deadline. */
  readonly signal: AbortSignal;
  /** Whether the deadline (not the caller) ended the step. */
  expired(): boolean;
  /** Milliseconds left before the deadline. */
  remaining(): number;
  /**
   * Settles as `promise` does, or rejects with the signal's reason as soon as the step is
   * aborted: an app's hook that never settles cannot hold the step past its deadline.
   */
  within<T>(promise: Promise<T>): Promise<T>;
  /**
   * Why the step stopped, when it was stopped rather than failing by itself: the caller's
   * reason when the caller gave up, `timeout()` when the deadline ran out (a `TimeoutError`
   * the step threw already is kept); `undefined` when `error` is the step's own failure.
   */
  stopped(error: unknown, timeout: () => unknown): unknown;
  /** Stops the timer and unlinks the caller's signal; call it when the step is over. */
  clear(): void;
}

/**
 * Starts the deadline of one step: headers, body, the app's hooks and any retries must all
 * fit in `timeoutMs`, so a provider that stalls or drips a body, or a hook that hangs, cannot
 * hold a state for longer.
 *
 * The caller's signal is linked by hand and unlinked in `clear()`: `AbortSignal.any` keeps
 * every merged signal alive for as long as a long-lived source lives on Node 20 and 22, so one
 * app signal passed to many reads grew the heap without bound.
 */
export function stepDeadline(timeoutMs: number, caller?: AbortSignal): StepDeadline {
  const controller = new AbortController();
  const endsAt = Date.now() + timeoutMs;
  const reason = new DOMException('step deadline reached', 'TimeoutError');
  const timer = setTimeout(() => controller.abort(reason), timeoutMs);
  const unlink = onAbort(caller, () => controller.abort(caller?.reason));
  const { signal } = controller;
  // Whichever aborted first gave the signal its reason.
  const expired = () => signal.aborted && signal.reason === reason;
  return {
    signal,
    expired,
    remaining: () => Math.max(0, endsAt - Date.now()),
    within: <T>(promise: Promise<T>) => untilAborted(promise, signal),
    stopped: (error, timeout) => {
      if (caller?.aborted) return caller.reason;
      if (!expired()) return undefined;
      return isGstrError(error, 'TimeoutError') ? error : timeout();
    },
    clear: () => {
      clearTimeout(timer);
      unlink();
    },
  };
}
