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
  const forward = (): void => controller.abort(caller?.reason);
  if (caller?.aborted) forward();
  else caller?.addEventListener('abort', forward, { once: true });
  const { signal } = controller;
  return {
    signal,
    // Whichever aborted first gave the signal its reason.
    expired: () => signal.aborted && signal.reason === reason,
    remaining: () => Math.max(0, endsAt - Date.now()),
    within: <T>(promise: Promise<T>) => untilAborted(promise, signal),
    clear: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', forward);
    },
  };
}

/** `promise`, or a rejection with the signal's reason once it aborts (whichever comes first). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The losing promise may still reject later: that must not become an unhandled rejection.
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
