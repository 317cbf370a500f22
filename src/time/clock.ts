/** Time for a session: wall-clock `now` and timers. XState's `SimulatedClock` fits. */
export interface SessionClock {
  /** Wall-clock time in epoch milliseconds. */
  now(): number;
  /** Runs `fn` after `timeout` ms; returns an id for `clearTimeout`. */
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  /** Cancels a timer. */
  clearTimeout(id: unknown): void;
}
