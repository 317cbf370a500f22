import type { Actor } from 'xstate';
import type { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import { SessionStateError } from '../errors/SessionStateError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { onAbort } from '../time/abortable.js';
import { clampDelay } from '../time/delays.js';
import type { GstrSessionSnapshot } from './persistence.js';
import type { SessionClock } from './types.js';

/** A decision on a snapshot: resolve, reject, or keep waiting (`undefined`). */
export type Verdict<T> = { readonly value: T } | { readonly error: unknown } | undefined;

/** The default limit of a wait: one OTP validity and some slack. */
export const DEFAULT_WAIT_MS = 15 * 60_000;

/**
 * Waits until `decide` gives a verdict on the actor's current or a later snapshot. Always
 * settles: on a verdict, on the actor stopping, on abort, or when `timeoutMs` runs out.
 */
export function settle<T>(
  actor: Actor<typeof gstrSessionMachine>,
  decide: (snapshot: GstrSessionSnapshot) => Verdict<T>,
  options: {
    operation: string;
    clock: SessionClock;
    signal?: AbortSignal | undefined;
    timeoutMs?: number | undefined;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: unknown;
    let unsubscribe = (): void => {};
    let unlink = (): void => {};
    const finish = (verdict: NonNullable<Verdict<T>>): void => {
      if (done) return;
      done = true;
      unsubscribe();
      if (timer !== undefined) options.clock.clearTimeout(timer);
      unlink();
      if ('value' in verdict) resolve(verdict.value);
      else reject(verdict.error);
    };
    const check = (snapshot: GstrSessionSnapshot): void => {
      const verdict = decide(snapshot);
      if (verdict) finish(verdict);
    };

    if (options.signal?.aborted) {
      finish({ error: options.signal.reason });
      return;
    }
    check(actor.getSnapshot());
    if (done) return;
    const subscription = actor.subscribe({
      next: check,
      error: (error) => finish({ error }),
      complete: () =>
        finish({
          error: new SessionStateError(
            options.operation,
            String(actor.getSnapshot().value),
            'the session was stopped',
          ),
        }),
    });
    unsubscribe = () => subscription.unsubscribe();
    unlink = onAbort(options.signal, () => finish({ error: options.signal?.reason }));
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    timer = options.clock.setTimeout(
      () =>
        finish({
          error: new TimeoutError(timeoutMs, { step: 'session', what: options.operation }),
        }),
      clampDelay(timeoutMs),
    );
  });
}
