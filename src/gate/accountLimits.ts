import * as v from 'valibot';
import { countSchema } from '../schemas/options.js';

/**
 * Limits of the traffic one provider API account sends, shared by every session of a manager
 * and, on a shared store, by every worker: GSPs and GSTN meter calls per account, and a wave of
 * thousands of refreshes must not be the day's outage.
 */
export interface AccountLimits {
  /** Auth requests (login, OTP, exchange, refresh, logout) in flight at once. Default 32. */
  readonly maxInFlight?: number;
  /** Auth requests started per second, on average (a token bucket). Default 50. */
  readonly ratePerSecond?: number;
  /** How many may start at once after a quiet spell (the bucket's size). Default 50. */
  readonly burst?: number;
  /**
   * Outages in a row (timeouts, 5xx, `GSPGSTDOWN`, the network) that open the circuit breaker:
   * calls then fail fast with `ProviderUnavailableError` (`circuitOpen`) for `breakerOpenMs`,
   * then one probe goes out and its answer closes or reopens it. Default 5; 0: no breaker.
   */
  readonly breakerFaults?: number;
  /** How long the breaker stays open before a probe. Default 30 000 ms. */
  readonly breakerOpenMs?: number;
  /**
   * How long a call waits for its turn (in-flight cap, rate, a provider's `Retry-After` held
   * for the fleet) before it fails with `RateLimitedError`. Default 120 000 ms.
   */
  readonly maxWaitMs?: number;
}

/** The defaults of {@link AccountLimits}, in one place. */
export const ACCOUNT_LIMIT_DEFAULTS = {
  maxInFlight: 32,
  ratePerSecond: 50,
  burst: 50,
  breakerFaults: 5,
  breakerOpenMs: 30_000,
  maxWaitMs: 120_000,
} as const satisfies Required<AccountLimits>;

/** Limits with every default filled in. */
export type ResolvedLimits = { readonly [K in keyof AccountLimits]-?: number };

/** Checks {@link AccountLimits}. */
export const AccountLimitsSchema = v.object(
  {
    maxInFlight: v.optional(countSchema(1, 100_000)),
    ratePerSecond: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.check(
          (n) => Number.isFinite(n) && n > 0 && n <= 100_000,
          'must be above 0, at most 100 000',
        ),
      ),
    ),
    burst: v.optional(countSchema(1, 100_000)),
    breakerFaults: v.optional(countSchema(0, 1_000)),
    breakerOpenMs: v.optional(countSchema(100, 3_600_000)),
    maxWaitMs: v.optional(countSchema(0, 3_600_000)),
  },
  'must be an object',
);

/** The limits an app set, with the defaults for the rest. */
export function resolveLimits(limits: AccountLimits | undefined): ResolvedLimits {
  const resolved: Record<string, number> = { ...ACCOUNT_LIMIT_DEFAULTS };
  // A key given as undefined keeps its default (a spread would blank it).
  for (const [name, value] of Object.entries(limits ?? {}))
    if (value !== undefined) resolved[name] = value;
  return resolved as ResolvedLimits;
}
