/** One step's time budget: a signal that aborts when the caller aborts or the time is up. */
export interface StepDeadline {
  /** Aborts on the caller's abort or at the deadline. */
  readonly signal: AbortSignal;
  /** Whether the deadline (not the caller) ended the step. */
  expired(): boolean;
  /** Milliseconds left before the deadline. */
  remaining(): number;
  /** Stops the timer; call it when the step is over. */
  clear(): void;
}

/**
 * Starts the deadline of one step: headers, body and any retries must all fit in `timeoutMs`,
 * so a provider that stalls or drips a body cannot hold a state for longer.
 */
export function stepDeadline(timeoutMs: number, caller?: AbortSignal): StepDeadline {
  const controller = new AbortController();
  const endsAt = Date.now() + timeoutMs;
  const reason = new DOMException('step deadline reached', 'TimeoutError');
  const timer = setTimeout(() => controller.abort(reason), timeoutMs);
  const signal = caller ? AbortSignal.any([caller, controller.signal]) : controller.signal;
  return {
    signal,
    // Whichever aborted first gave the merged signal its reason.
    expired: () => signal.aborted && signal.reason === reason,
    remaining: () => Math.max(0, endsAt - Date.now()),
    clear: () => clearTimeout(timer),
  };
}
