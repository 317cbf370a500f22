import type { GstrStep } from '../errors/GstrError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { isProviderOutage } from '../errors/isProviderOutage.js';
import { ProviderUnavailableError } from '../errors/ProviderUnavailableError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import type { ResolvedLimits } from '../gate/accountLimits.js';
import type { GateStore } from '../gate/GateStore.js';
import type { GateOutcome } from '../gate/gateRules.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { wrapProviderMethods } from '../providers/overrideProvider.js';
import { traceGate } from '../telemetry/traceChannels.js';
import { onAbort } from '../time/abortable.js';
import type { SessionClock } from '../time/clock.js';
import { clampDelay } from '../time/delays.js';

/** A rate limit with no `Retry-After` holds the account this long. */
export const DEFAULT_HOLD_MS = 1_000;

/** The provider methods that go through the gate: the auth traffic a GSP meters. */
const GATED = [
  'login',
  'requestOtp',
  'getAuthToken',
  'authenticate',
  'refreshToken',
  'logout',
] as const;

/** What a call's end tells the gate: an answer, an outage, a rate limit, or nothing. */
export function gateOutcomeOf(error: unknown): { outcome: GateOutcome; holdMs: number } {
  // A taxpayer user's own limit (NIC's 118) holds that session only (it retries later).
  if (isGstrError(error, 'RateLimitedError') && error.scope === 'taxpayer')
    return { outcome: 'ok', holdMs: 0 };
  if (isGstrError(error, 'RateLimitedError'))
    return { outcome: 'limited', holdMs: error.retryAfterMs ?? DEFAULT_HOLD_MS };
  if (isProviderOutage(error)) return { outcome: 'fault', holdMs: 0 };
  // A breaker-open refusal or the caller's own abort says nothing of the provider.
  if (isGstrError(error, 'ProviderUnavailableError') || !isGstrError(error))
    return { outcome: 'none', holdMs: 0 };
  return { outcome: 'ok', holdMs: 0 };
}

/** Options of {@link gateProvider}. */
export interface GateOptions {
  readonly store: GateStore;
  /** The API account whose gate it is (the fleet's account name). */
  readonly account: string;
  readonly limits: ResolvedLimits;
  /** How long a call's slot lives if its worker dies mid-call (the lock's lifetime). */
  readonly slotTtlMs: number;
  /** The clock of waits. */
  readonly waitClock: SessionClock;
  /** Where a gate that cannot be told a call ended reports it. */
  readonly report: (error: unknown) => void;
}

/**
 * Wraps a provider so that its auth calls (login, OTP request and exchange, refresh, logout)
 * keep the account's limits: each waits for its turn (in-flight cap, token bucket, a provider's
 * `Retry-After` held for everyone) up to `maxWaitMs`, then fails with `RateLimitedError`;
 * while the circuit breaker is open it fails fast with `ProviderUnavailableError`
 * (`circuitOpen`, `retryAfterMs`), sending nothing. Reads are the app's own traffic and pass.
 */
export function gateProvider(provider: GstrProvider, options: GateOptions): GstrProvider {
  const { store, account, limits, slotTtlMs, waitClock, report } = options;
  // Unique across workers without a crypto import (this layer also runs in browsers).
  const prefix = `${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
  let calls = 0;
  // A slot freed in this process may admit a waiter here at once, not at its next poll.
  const waiters = new Set<() => void>();
  const wakeWaiters = () => {
    for (const wake of [...waiters]) wake();
  };

  async function waitTurn(step: GstrStep, slot: string, signal: AbortSignal | undefined) {
    const started = waitClock.now();
    // What held the call last, once it had to wait (for the trace point).
    let waited: string | undefined;
    for (;;) {
      signal?.throwIfAborted();
      const decision = await store.enter(account, slot, slotTtlMs, limits);
      const waitedMs = waitClock.now() - started;
      if (decision.admitted) {
        if (waited) traceGate({ step, outcome: 'admitted', waitedMs, why: waited });
        return;
      }
      if (decision.why === 'open' || decision.why === 'probing') {
        traceGate({ step, outcome: 'circuitOpen', waitedMs, why: decision.why });
        throw new ProviderUnavailableError({
          step,
          status: 503,
          circuitOpen: true,
          retryAfterMs: decision.waitMs,
        });
      }
      if (waitedMs + decision.waitMs > limits.maxWaitMs) {
        traceGate({ step, outcome: 'rateLimited', waitedMs, why: decision.why });
        throw new RateLimitedError({
          step,
          status: 429,
          retryAfterMs: decision.waitMs,
          hint: `no request was sent: the account's limits held the call past maxWaitMs (${decision.why})`,
        });
      }
      waited = decision.why;
      await new Promise<void>((resolve, reject) => {
        const finish = () => {
          waiters.delete(wake);
          waitClock.clearTimeout(timer);
          unlink();
        };
        const wake = () => {
          finish();
          resolve();
        };
        const timer = waitClock.setTimeout(wake, clampDelay(decision.waitMs));
        const unlink = onAbort(signal, () => {
          finish();
          reject(signal?.reason);
        });
        waiters.add(wake);
      });
    }
  }

  const gated = <A extends { signal?: AbortSignal | undefined } | undefined, T>(
    step: GstrStep,
    method: (...args: never[]) => Promise<T>,
  ) =>
    (async (...args: unknown[]) => {
      const signal = (args.at(-1) as A)?.signal;
      calls += 1;
      const slot = `${prefix}.${calls}`;
      await waitTurn(step, slot, signal);
      let end: { outcome: GateOutcome; holdMs: number } = { outcome: 'none', holdMs: 0 };
      try {
        const result = await method(...(args as never[]));
        end = { outcome: 'ok', holdMs: 0 };
        return result;
      } catch (error) {
        end = gateOutcomeOf(error);
        if (end.outcome === 'limited')
          traceGate({ step, outcome: 'held', waitedMs: end.holdMs, why: 'provider' });
        throw error;
      } finally {
        store
          .leave(account, slot, end.outcome, end.holdMs, limits)
          .then(wakeWaiters, (error: unknown) => {
            wakeWaiters();
            report(error);
          });
      }
    }) as never;

  return wrapProviderMethods(provider, GATED, (name, method) => gated(name, method));
}
