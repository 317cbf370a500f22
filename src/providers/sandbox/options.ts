import * as v from 'valibot';
import { READ_KINDS, type ReadKind } from '../../reads/GstrRead.js';
import { DurationSchema, HeaderValueSchema, HttpUrlSchema } from '../../schemas/options.js';
import {
  TRANSPORT_DEFAULTS,
  TRANSPORT_OPTION_ENTRIES,
  type TransportOptions,
} from '../transportOptions.js';

/** Sandbox.co.in's production host. */
export const SANDBOX_BASE_URL = 'https://api.sandbox.co.in';
/** Sandbox.co.in's test host. */
export const SANDBOX_TEST_BASE_URL = 'https://test-api.sandbox.co.in';

/** Options of {@link SandboxClient}. */
export interface SandboxOptions extends TransportOptions {
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
  /** The path of each read (see {@link SANDBOX_READ_PATHS}). */
  readonly readPaths?: Partial<Record<ReadKind, string>>;
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
  ...TRANSPORT_DEFAULTS,
} as const;

/** The schema of {@link SandboxOptions}: every option is checked when the client is made. */
export const SandboxOptionsSchema = v.object(
  {
    ...TRANSPORT_OPTION_ENTRIES,
    apiKey: HeaderValueSchema,
    apiSecret: HeaderValueSchema,
    baseUrl: v.optional(HttpUrlSchema),
    apiVersion: v.optional(HeaderValueSchema),
    accessTokenTtlMs: v.optional(
      v.pipe(DurationSchema, v.minValue(60_000, 'must be at least a minute')),
    ),
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
  },
  'must be an object',
);
