import * as v from 'valibot';
import { READ_KINDS, type ReadKind } from '../../reads/GstrRead.js';
import { HttpUrlSchema } from '../../schemas/options.js';
import {
  TRANSPORT_DEFAULTS,
  TRANSPORT_OPTION_ENTRIES,
  type TransportOptions,
} from '../transportOptions.js';
import { EXPIRY_UNITS, type ExpiryUnit } from './expiry.js';
import { LoginCredentialsSchema } from './wire.js';

/** The provider's test host. */
export const SIGNZY_TEST_BASE_URL = 'https://preproduction.signzy.tech';
/** The provider's production host. */
export const SIGNZY_PRODUCTION_BASE_URL = 'https://signzy.tech';
/**
 * Where the `getOtp` / `getAuthToken` tasks are posted. The public docs never name this
 * path: it is an assumption to confirm in your provider contract.
 */
export const DEFAULT_GSTR_PATH = '/api/v2/patrons/{patronId}/gstrs';

/** Options of {@link SignzyClient}. */
export interface SignzyOptions extends TransportOptions {
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
  /**
   * The task name of a token refresh, where your provider contract offers one (GSTN's
   * REFRESHTOKEN). Unset by default, since the public docs name none.
   */
  readonly refreshTask?: string;
  /**
   * The task name of each read (`{section}` is filled in, lower case). Defaults: GSTR-3B summary
   * `summary` and GSTR-2A sections `{section}` (e.g. `b2b`) as Signzy's docs show; the others
   * (`gstr1{section}`, `gstr2b`, `filingPreference`, `returnStatus`) are **assumptions** to
   * confirm in your contract.
   */
  readonly readTasks?: Partial<Record<ReadKind, string>>;
  /** The essentials field of the return period: `retPeriod` (Signzy's sample) or `retPer` (one of its tables). Default `retPeriod`. */
  readonly retPeriodField?: 'retPeriod' | 'retPer';
}

/** The task name of each read by default (see `readTasks`). */
export const SIGNZY_READ_TASKS: Readonly<Record<ReadKind, string>> = {
  gstr3bSummary: 'summary',
  gstr2aSection: '{section}',
  gstr1Section: 'gstr1{section}',
  gstr2b: 'gstr2b',
  filingPreference: 'filingPreference',
  returnStatus: 'returnStatus',
};

/** The defaults of the Signzy client's numbers. */
export const SIGNZY_DEFAULTS = {
  ...TRANSPORT_DEFAULTS,
  accessTokenTtlSeconds: 1_209_600,
} as const;

/** The schema of {@link SignzyOptions}: every option is checked when the client is made. */
export const SignzyOptionsSchema = v.object(
  {
    ...TRANSPORT_OPTION_ENTRIES,
    ...LoginCredentialsSchema.entries,
    baseUrl: v.optional(HttpUrlSchema),
    gstrPath: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.regex(/^\/[^\s?#]*$/, 'must be a path starting with /'),
      ),
    ),
    expiryUnit: v.optional(v.picklist(EXPIRY_UNITS, `must be one of ${EXPIRY_UNITS.join(', ')}`)),
    accessTokenTtlSeconds: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.finite('must be finite'),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(10 * 366 * 86_400, 'must be at most ten years'),
      ),
    ),
    refreshTask: v.optional(v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'))),
    readTasks: v.optional(
      v.strictObject(
        Object.fromEntries(
          READ_KINDS.map((kind) => [
            kind,
            v.optional(v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'))),
          ]),
        ),
        `must name only ${READ_KINDS.join(', ')}`,
      ),
    ),
    retPeriodField: v.optional(v.picklist(['retPeriod', 'retPer'], 'must be retPeriod or retPer')),
  },
  'must be an object',
);
