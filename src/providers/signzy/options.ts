import type { ExpiryUnit } from './expiry.js';

/** The provider's test host. */
export const SIGNZY_TEST_BASE_URL = 'https://preproduction.signzy.tech';
/** The provider's production host. */
export const SIGNZY_PRODUCTION_BASE_URL = 'https://signzy.tech';
/**
 * Where the `getOtp` / `getAuthToken` tasks are posted. The public docs never name this
 * path: it is an assumption to confirm in your provider contract.
 */
export const DEFAULT_GSTR_PATH = '/api/v2/patrons/{patronId}/gstrs';

/** How failed requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 2. */
  readonly limit?: number;
  /** The longest wait between two attempts, in ms. Default 10 000. */
  readonly backoffLimitMs?: number;
  /** The longest `Retry-After` honoured, in ms; longer ones fail at once. Default 60 000. */
  readonly maxRetryAfterMs?: number;
}

/** Options of {@link SignzyClient}. */
export interface SignzyOptions {
  /** The provider API username. */
  readonly username: string;
  /** The provider API password (the API key). Secret. */
  readonly password: string;
  /** Default {@link SIGNZY_TEST_BASE_URL}. */
  readonly baseUrl?: string;
  /** The path of the GSTR tasks, `{patronId}` filled in. Default {@link DEFAULT_GSTR_PATH}. */
  readonly gstrPath?: string;
  /** How `result.expiry` is read. Default `minutes`, as GSTN. */
  readonly expiryUnit?: ExpiryUnit;
  /** The access-token lifetime assumed when `login` answers no `ttl`. Default 14 days. */
  readonly accessTokenTtlSeconds?: number;
  /** Per-attempt request timeout in ms. Default 15 000. */
  readonly timeoutMs?: number;
  /** A fetch implementation (for proxies, or tests). Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Retry policy; see the README for which steps retry on what. */
  readonly retry?: RetryPolicy;
  /**
   * The task name of a token refresh, where your provider contract offers one (GSTN's
   * REFRESHTOKEN). Unset by default, since the public docs name none.
   */
  readonly refreshTask?: string;
  /** The clock used to turn lifetimes into absolute times. Default `Date.now`. */
  readonly now?: () => number;
}
