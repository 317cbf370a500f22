import * as v from 'valibot';
import {
  DEFAULT_MAX_AUTH_RESPONSE_BYTES,
  DEFAULT_MAX_READ_RESPONSE_BYTES,
  DEFAULT_STEP_TIMEOUT_MS,
} from '../../http/defaults.js';
import { type RetryPolicy, RetryPolicySchema } from '../../http/retryPolicy.js';
import { READ_KINDS, type ReadKind } from '../../reads/GstrRead.js';
import {
  ByteLimitSchema,
  DurationSchema,
  FunctionSchema,
  HeaderValueSchema,
  HttpUrlSchema,
  TimeoutMsSchema,
} from '../../schemas/options.js';

/** Sandbox.co.in's production host. */
export const SANDBOX_BASE_URL = 'https://api.sandbox.co.in';
/** Sandbox.co.in's test host. */
export const SANDBOX_TEST_BASE_URL = 'https://test-api.sandbox.co.in';

/** Options of {@link SandboxClient}. */
export interface SandboxOptions {
  /** The API key (`x-api-key`). */
  readonly apiKey: string;
  /** The API secret (`x-api-secret`, sent only to `/authenticate`). Secret. */
  readonly apiSecret: string;
  /** Default {@link SANDBOX_BASE_URL}. */
  readonly baseUrl?: string;
  /** `x-api-version`. Default `1.0`. */
  readonly apiVersion?: string;
  /**
   * The API token's life when it carries no `exp` claim, in ms. Default 24 h, as documented.
   */
  readonly accessTokenTtlMs?: number;
  /** The longest one step may take, in ms: headers, the whole body and any retries. Default 15 000. */
  readonly timeoutMs?: number;
  /** The largest answer of an auth step, in bytes. Default 256 KiB. */
  readonly maxResponseBytes?: number;
  /** The largest answer of a read, in bytes. Default 32 MiB. */
  readonly maxCallResponseBytes?: number;
  /** The path of each read (see {@link SANDBOX_READ_PATHS}). */
  readonly readPaths?: Partial<Record<ReadKind, string>>;
  /** Retry policy (the OTP request and its verification are never re-sent). */
  readonly retry?: RetryPolicy;
  /** A fetch implementation (for proxies, or tests). Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** The clock used to turn lifetimes into absolute times. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The path of each read below the base URL; `{year}`, `{month}` (of the return period) and
 * `{section}` (lower case) are filled in. GSTR-3B's is Sandbox's documented one; the others
 * follow it and are **assumptions** to confirm (hence `readPaths`).
 */
export const SANDBOX_READ_PATHS: Readonly<Record<ReadKind, string>> = {
  gstr3bSummary: 'gst/compliance/tax-payer/gstrs/gstr-3b/{year}/{month}',
  gstr1Section: 'gst/compliance/tax-payer/gstrs/gstr-1/{section}/{year}/{month}',
  gstr2aSection: 'gst/compliance/tax-payer/gstrs/gstr-2a/{section}/{year}/{month}',
  gstr2b: 'gst/compliance/tax-payer/gstrs/gstr-2b/{year}/{month}',
  filingPreference: 'gst/compliance/tax-payer/gstrs/preference',
  returnStatus: 'gst/compliance/tax-payer/gstrs/status/{year}/{month}',
};

/** The defaults of the Sandbox client. */
export const SANDBOX_DEFAULTS = {
  apiVersion: '1.0',
  accessTokenTtlMs: 24 * 3_600_000,
  timeoutMs: DEFAULT_STEP_TIMEOUT_MS,
  maxResponseBytes: DEFAULT_MAX_AUTH_RESPONSE_BYTES,
  maxCallResponseBytes: DEFAULT_MAX_READ_RESPONSE_BYTES,
} as const;

/** The schema of {@link SandboxOptions}: every option is checked when the client is made. */
export const SandboxOptionsSchema = v.object(
  {
    apiKey: HeaderValueSchema,
    apiSecret: HeaderValueSchema,
    baseUrl: v.optional(HttpUrlSchema),
    apiVersion: v.optional(HeaderValueSchema),
    accessTokenTtlMs: v.optional(
      v.pipe(DurationSchema, v.minValue(60_000, 'must be at least a minute')),
    ),
    timeoutMs: v.optional(TimeoutMsSchema),
    maxResponseBytes: v.optional(ByteLimitSchema),
    maxCallResponseBytes: v.optional(ByteLimitSchema),
    readPaths: v.optional(
      v.strictObject(
        Object.fromEntries(
          READ_KINDS.map((kind) => [
            kind,
            v.optional(
              v.pipe(v.string('must be a string'), v.regex(/^[^\s?#]+$/, 'must be a path')),
            ),
          ]),
        ),
        `must name only ${READ_KINDS.join(', ')}`,
      ),
    ),
    retry: v.optional(RetryPolicySchema),
    fetch: v.optional(FunctionSchema),
    now: v.optional(FunctionSchema),
  },
  'must be an object',
);
