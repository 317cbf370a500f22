import * as v from 'valibot';
import {
  DurationSchema,
  FunctionSchema,
  HeaderValueSchema,
  HttpUrlSchema,
} from '../../schemas/options.js';
import type { HeadersHook } from '../gspHeaders.js';
import {
  TRANSPORT_DEFAULTS,
  TRANSPORT_OPTION_ENTRIES,
  type TransportOptions,
} from '../transportOptions.js';

/** GSTN's auth actions, each with its own API version. */
export const GSTN_AUTH_ACTIONS = ['OTPREQUEST', 'AUTHTOKEN', 'REFRESHTOKEN', 'LOGOUT'] as const;

/** One of GSTN's auth actions. */
export type GstnAuthAction = (typeof GSTN_AUTH_ACTIONS)[number];

/** The return paths of GSTN's reads (`returns` is `/returns` itself: preference, status). */
export const GSTN_RETURN_PATHS = ['gstr1', 'gstr2a', 'gstr2b', 'gstr3b', 'returns'] as const;

/** A return path of GSTN's reads. */
export type GstnReturnPath = (typeof GSTN_RETURN_PATHS)[number];

/**
 * The API version of each auth action (`/taxpayerapi/{version}/authenticate`) and of each
 * return path (`/taxpayerapi/{version}/returns/gstr1`...).
 */
export type GstnVersions = Readonly<Partial<Record<GstnAuthAction | GstnReturnPath, string>>>;

/** The default API version of each return path (as public clients call them). */
export const GSTN_RETURN_VERSIONS: Readonly<Record<GstnReturnPath, string>> = {
  gstr1: 'v1.1',
  gstr2a: 'v0.3',
  gstr2b: 'v1.0',
  gstr3b: 'v1.0',
  returns: 'v1.0',
};

/**
 * What every hook of a provider is given: the step's signal, aborted when the step's deadline
 * passes or its caller gives up. A hook runs inside the step's deadline either way.
 */
export interface HookOptions {
  readonly signal: AbortSignal;
}

/** What a GSP's `headers` hook is told about the request it signs. */
export interface GstnHeaderContext {
  /** The auth action, or the read's `action` (`RETSUM`, `B2B`, `GET2B`...). */
  readonly action: string;
  readonly gstin: string;
  readonly username: string;
  /** The request's unique transaction id (also sent as the `txn` header). */
  readonly txn: string;
  /** The path below `baseUrl`. */
  readonly path: string;
}

/** Options of {@link GstnClient}. */
export interface GstnOptions extends TransportOptions {
  /**
   * The GSP's pass-through host, with any prefix the GSP maps to GSTN, e.g.
   * `https://gsp.example.com/gus` for `/gus/taxpayerapi/...`. GSTN's sandbox is
   * `http://devapi.gstsystem.co.in`.
   */
  readonly baseUrl: string;
  /** The ASP's GSTN client id (`clientid` header). */
  readonly clientId: string;
  /** The ASP's GSTN client secret (`client-secret` header). Secret. */
  readonly clientSecret: string;
  /** GSTN's public certificate, PEM. Its expiry is `certificateValidTo`. */
  readonly certificate: string;
  /** The end user's IP address (`ip-usr` header). Default `127.0.0.1`. */
  readonly ipUser?: string;
  /** The API version per auth action. Default `v1.0` for each (some GSPs use `v0.2`). */
  readonly versions?: GstnVersions;
  /**
   * The GSP's own headers for a request (e.g. a signed auth token), added to GSTN's. May be
   * async. Header values must be printable ASCII.
   */
  readonly headers?: HeadersHook<GstnHeaderContext>;
  /**
   * How REFRESHTOKEN's `app_key` is encrypted: `sek` (AES under the SEK, as two independent
   * production clients do; the default) or `rsa` (under the public key, as a third). Unconfirmed
   * by GSTN's public docs, hence the option.
   */
  readonly refreshAppKey?: 'sek' | 'rsa';
  /**
   * Called when GSTN answers `TEC4002` (its key was rotated): return the current certificate
   * (PEM) and the request is made once more with it; return `undefined` to fail with
   * `CertificateRejectedError`.
   */
  readonly onCertificateRejected?: (
    options: HookOptions,
  ) => Promise<string | undefined> | string | undefined;
  /** Called once per certificate when it has 30 days or less left. Default: one `console.warn`. */
  readonly onCertificateExpiring?: (info: { validTo: Date; daysLeft: number }) => void;
  /**
   * The API access duration the taxpayer chose on the portal, in ms, if the app knows it
   * (GSTN does not report it). Sessions then carry `accessExpiresAt` and are not refreshed
   * past it. Unset by default.
   */
  readonly accessDurationMs?: number;
}

/** The defaults of the GSTN client. */
export const GSTN_DEFAULTS = {
  version: 'v1.0',
  ipUser: '127.0.0.1',
  refreshAppKey: 'sek',
  ...TRANSPORT_DEFAULTS,
  /** How long before the certificate's end the app is warned. */
  certificateWarningMs: 30 * 86_400_000,
} as const;

const VersionSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^v[0-9]+(\.[0-9]+)*$/, 'must be a version such as v1.0'),
);

/** The schema of {@link GstnOptions}: every option is checked when the client is made. */
export const GstnOptionsSchema = v.object(
  {
    ...TRANSPORT_OPTION_ENTRIES,
    baseUrl: HttpUrlSchema,
    clientId: HeaderValueSchema,
    clientSecret: HeaderValueSchema,
    certificate: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
    ipUser: v.optional(HeaderValueSchema),
    versions: v.optional(
      v.strictObject(
        Object.fromEntries(
          [...GSTN_AUTH_ACTIONS, ...GSTN_RETURN_PATHS].map((name) => [
            name,
            v.optional(VersionSchema),
          ]),
        ),
        `must name only ${[...GSTN_AUTH_ACTIONS, ...GSTN_RETURN_PATHS].join(', ')}`,
      ),
    ),
    headers: v.optional(FunctionSchema),
    refreshAppKey: v.optional(v.picklist(['sek', 'rsa'], 'must be sek or rsa')),
    onCertificateRejected: v.optional(FunctionSchema),
    onCertificateExpiring: v.optional(FunctionSchema),
    accessDurationMs: v.optional(
      v.pipe(DurationSchema, v.minValue(60_000, 'must be at least a minute')),
    ),
  },
  'must be an object',
);
