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

/** NIC's two services whose sessions log in with the taxpayer's API password. */
export type NicService = 'einvoice' | 'ewaybill';

/** What every hook is given: the step's signal, aborted at its deadline or by its caller. */
export interface NicHookOptions {
  readonly signal: AbortSignal;
}

/** Whose password the app is asked for. */
export interface NicPasswordRequest {
  readonly service: NicService;
  readonly gstin: string;
  /** The taxpayer's API user of this service (not the GST portal user). */
  readonly username: string;
}

/** What a GSP's `headers` hook is told about the request it signs. */
export interface NicHeaderContext {
  readonly service: NicService;
  /** `auth`, or a read's action. */
  readonly action: string;
  readonly gstin: string;
  readonly username: string;
  /** The path below `baseUrl`. */
  readonly path: string;
}

/** Options of the NIC e-invoice and e-way bill providers. */
export interface NicOptions extends TransportOptions {
  /** NIC's host, or the GSP's pass-through host with its prefix. */
  readonly baseUrl: string;
  /** The ASP's NIC client id (`client-id` header). */
  readonly clientId: string;
  /** The ASP's NIC client secret (`client-secret` header). Secret. */
  readonly clientSecret: string;
  /**
   * NIC's public key of this service and environment, PEM (a public key or a certificate).
   * It differs between sandbox and production.
   */
  readonly publicKey: string;
  /**
   * The taxpayer's API password, asked for each time the session must log in (never kept by
   * the library): from a vault, a sealed column, an environment variable. Called inside the
   * step's deadline with its signal. Secret.
   */
  readonly password: (
    taxpayer: NicPasswordRequest,
    options: NicHookOptions,
  ) => string | Promise<string>;
  /**
   * The path of the auth request below `baseUrl`. Defaults: e-invoice `eivital/v1.04/auth`,
   * e-way bill `ewaybillapi/v1.03/auth` (GSPs map these differently: see the guide).
   */
  readonly authPath?: string;
  /**
   * How long a token lives when NIC does not say: 360 minutes (e-way bill never says;
   * e-invoice sends `TokenExpiry`).
   */
  readonly tokenLifetimeMs?: number;
  /** The GSP's own headers for a request (a signed token, its user id), added to NIC's. */
  readonly headers?: HeadersHook<NicHeaderContext>;
}

/** The defaults of the NIC providers. */
export const NIC_DEFAULTS = {
  ...TRANSPORT_DEFAULTS,
  authPath: { einvoice: 'eivital/v1.04/auth', ewaybill: 'ewaybillapi/v1.03/auth' },
  tokenLifetimeMs: 360 * 60_000,
  /** Where each read goes, below `baseUrl` (the IRN is appended to its path). */
  readPath: {
    irnDetails: 'eicore/v1.03/Invoice/irn',
    ewayBill: 'ewaybillapi/v1.03/ewayapi/GetEwayBill',
  },
  /** E-invoice: `ForceRefreshAccessToken` works only in a token's last 10 minutes. */
  renewWindowMs: 10 * 60_000,
} as const;

/** The schema of {@link NicOptions}: every option is checked when the provider is made. */
export const NicOptionsSchema = v.object(
  {
    ...TRANSPORT_OPTION_ENTRIES,
    baseUrl: HttpUrlSchema,
    clientId: HeaderValueSchema,
    clientSecret: HeaderValueSchema,
    publicKey: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
    password: FunctionSchema,
    authPath: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.regex(/^[A-Za-z0-9._~\-/]+$/, 'must be a path of letters, digits and ._~-/'),
      ),
    ),
    tokenLifetimeMs: v.optional(
      v.pipe(DurationSchema, v.minValue(1_000, 'must be at least a second')),
    ),
    headers: v.optional(FunctionSchema),
  },
  'must be an object',
);
