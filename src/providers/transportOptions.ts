import * as v from 'valibot';
import {
  DEFAULT_MAX_AUTH_RESPONSE_BYTES,
  DEFAULT_MAX_READ_BYTES,
  DEFAULT_MAX_READ_RESPONSE_BYTES,
  DEFAULT_STEP_TIMEOUT_MS,
} from '../http/defaults.js';
import { DEFAULT_RETRY, type RetryPolicy, RetryPolicySchema } from '../http/retryPolicy.js';
import { ByteLimitSchema, FunctionSchema, TimeoutMsSchema } from '../schemas/options.js';

/**
 * The transport options every provider takes, declared once with their checks and defaults:
 * a provider's own options extend them (`interface XOptions extends TransportOptions`), its
 * schema spreads {@link TRANSPORT_OPTION_ENTRIES}, its defaults spread
 * {@link TRANSPORT_DEFAULTS}.
 */
export interface TransportOptions {
  /**
   * The longest one step may take, in ms: headers, the whole body, any retries and the app's
   * hooks. A provider that stalls or drips its answer fails the step with a `TimeoutError`.
   * Default 15 000.
   */
  readonly timeoutMs?: number;
  /** The largest answer of an auth step (login, OTP, token, refresh, logout), in bytes. Default 256 KiB. */
  readonly maxResponseBytes?: number;
  /** The largest answer of a read, and of each file of a large one, in bytes. Default 32 MiB. */
  readonly maxCallResponseBytes?: number;
  /**
   * The most one read may hold in all, in bytes: every file of a large answer together,
   * counted once as downloaded and once as decompressed. Default 256 MiB.
   */
  readonly maxReadBytes?: number;
  /** Retry policy (a step that may have reached the provider is re-sent only when idempotent). */
  readonly retry?: RetryPolicy;
  /** A fetch implementation (for proxies, or tests). Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** The clock used to turn lifetimes into absolute times. Default `Date.now`. */
  readonly now?: () => number;
}

/** The checks of {@link TransportOptions}, to spread into a provider's options schema. */
export const TRANSPORT_OPTION_ENTRIES = {
  timeoutMs: v.optional(TimeoutMsSchema),
  maxResponseBytes: v.optional(ByteLimitSchema),
  maxCallResponseBytes: v.optional(ByteLimitSchema),
  maxReadBytes: v.optional(ByteLimitSchema),
  retry: v.optional(RetryPolicySchema),
  fetch: v.optional(FunctionSchema),
  now: v.optional(FunctionSchema),
} as const;

/** The defaults of {@link TransportOptions}, to spread into a provider's defaults. */
export const TRANSPORT_DEFAULTS = {
  timeoutMs: DEFAULT_STEP_TIMEOUT_MS,
  maxResponseBytes: DEFAULT_MAX_AUTH_RESPONSE_BYTES,
  maxCallResponseBytes: DEFAULT_MAX_READ_RESPONSE_BYTES,
  maxReadBytes: DEFAULT_MAX_READ_BYTES,
  retry: DEFAULT_RETRY,
} as const;
