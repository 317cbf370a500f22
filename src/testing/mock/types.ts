import type { NicService } from '../../providers/nic/options.js';
import type { ExpiryUnit } from '../../providers/signzy/expiry.js';
import { PROVIDER_NAMES, type ProviderName } from '../../registry/providers.js';

/** A provider API account the mock accepts on `login`. */
export interface MockAccount {
  readonly username: string;
  readonly password: string;
}

/** The routes of the mock provider, each of which can be given a fault. */
export type MockRoute =
  | 'login'
  | 'logout'
  | 'getOtp'
  | 'getAuthToken'
  /** NIC faces: a password login. */
  | 'authenticate'
  | 'refreshToken'
  | 'call'
  /** GSTN face: a file of a large answer. */
  | 'download';

/** A misbehaviour injected into one route. */
export type MockFault = (
  | { readonly kind: 'delay'; readonly ms: number }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      /** A GSTN-like error code to put in the body, e.g. `AUTH4033`. */
      readonly code?: string;
    }
  | { readonly kind: 'malformedJson' }
  | { readonly kind: 'missingField'; readonly field: string }
  | { readonly kind: 'reset' }
  /** Hold the request unanswered until the mock closes (a provider that hangs). */
  | { readonly kind: 'hang' }
  /** Send `200` headers and the first bytes of the answer, then nothing more (a stalled body). */
  | { readonly kind: 'stallBody' }
  /** Send the answer one byte every `intervalMs` (a dripping body). */
  | { readonly kind: 'drip'; readonly intervalMs: number }
  /** Answer with a redirect (`307` by default) to `location`. */
  | { readonly kind: 'redirect'; readonly location: string; readonly status?: number }
  /**
   * Answer `200` with a JSON body of about `bytes` bytes. `declared: false` leaves out the
   * `content-length` header (chunked), so only counting the body can catch it.
   */
  | { readonly kind: 'oversize'; readonly bytes: number; readonly declared?: boolean }
  /** Set a field of a successful answer (dotted path, e.g. `result.expiry`) to `value`. */
  | { readonly kind: 'setField'; readonly field: string; readonly value: unknown }
) & {
  /** Apply the fault this many times, then behave ("fail N times then succeed"). Default: always. */
  readonly times?: number;
  /**
   * Apply it to this share of the requests (0 to 1), drawn at random per request, as a flaky
   * provider; a request spared does not count against `times`. Default 1: every request.
   */
  readonly rate?: number;
};

/** The provider faces the mock speaks, each over the same fake GSTN: every registered provider. */
export const MOCK_FACES: readonly ProviderName[] = PROVIDER_NAMES;

/** NIC's faces of the mock (e-invoice and e-way bill): password logins, no OTP. */
export const MOCK_NIC_FACES: readonly NicService[] = ['einvoice', 'ewaybill'];

/**
 * A provider face of the mock: `signzy` (the default), `gstn` (GSTN direct) or `sandbox`, or
 * one of NIC's, `einvoice` and `ewaybill`.
 */
export type MockFaceName = ProviderName | NicService;

/** Options of {@link createMockProvider}. */
export interface MockProviderOptions {
  /** Which provider's HTTP API the mock speaks. Default `signzy`. */
  readonly face?: MockFaceName;
  /**
   * The API access duration the taxpayer chose on the portal, in ms: past it a refresh answers
   * `AUTH4037`. Default: none.
   */
  readonly accessDurationMs?: number;
  /**
   * Whether a refresh revokes the token it replaces. Default true (GSTN does not say; the
   * stricter reading): a refresh answered to a worker that then died leaves the only valid
   * token with it, and the session needs a new OTP.
   */
  readonly revokeOnRefresh?: boolean;
  /** GSTN face: when its certificate ends. Default 2 years after the mock's clock at start. */
  readonly certificateValidTo?: Date;
  /** E-invoice face: reads answer `Rek` and `Hmac`, `Data` under the REK. Default false. */
  readonly einvoiceRek?: boolean;
  /**
   * NIC faces: every login issues a new token and voids the one before (as production clients
   * report of "another instance"). Default false: NIC's documented same token for 360 minutes.
   */
  readonly nicLoginVoidsToken?: boolean;
  /** GSTN face: how REFRESHTOKEN's app_key is expected. Default `sek`. */
  readonly gstnRefreshAppKey?: 'sek' | 'rsa';
  /** Accounts accepted by `login`. Default one account, {@link MOCK_DEFAULT_ACCOUNT}. */
  readonly accounts?: readonly MockAccount[];
  /** `random` six digits per request (default), or GSTN sandbox's fixed `575757`. */
  readonly otpMode?: 'random' | 'sandbox';
  /** The auth-token lifetime, in `tokenLifetimeUnit`s. Default 360 (minutes: 6 h, as GSTN). */
  readonly tokenLifetime?: number;
  /** How `expiry` is expressed in answers. Default `minutes`. */
  readonly tokenLifetimeUnit?: ExpiryUnit;
  /** The access-token `ttl` answered by `login`, in seconds. Default 1 209 600 (14 days). */
  readonly accessTokenTtlSeconds?: number;
  /** How long an OTP is accepted, in ms. Default 600 000 (10 min, as GSTN). */
  readonly otpValidityMs?: number;
  /** Where GSTR tasks are posted; `{patronId}` is matched. Default as the Signzy client. */
  readonly gstrPath?: string;
  /** Accept this task name as a token refresh. Default: no refresh. */
  readonly refreshTask?: string;
  /** The mock's clock, for simulated time. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Answer cross-origin requests (CORS preflights, `access-control-allow-origin: *`), so that a
   * session running in a browser page can reach the mock. Default false.
   */
  readonly cors?: boolean;
  /**
   * Answer every request this many ms late (real time), as a provider across a network:
   * `+20 ms` is the scale benchmarks' provider. Default 0.
   */
  readonly latencyMs?: number;
}

/** One request the mock received. Secrets are not recorded. */
export interface RecordedRequest {
  readonly route: MockRoute | 'unknown';
  readonly task?: string | undefined;
  readonly gstin?: string | undefined;
  /** The mock's clock when the request arrived. */
  readonly at: number;
  /** The status answered, or 0 when the connection was reset. */
  status: number;
  /** The provider's code when the face refused with a success status (NIC answers 200). */
  code?: string;
}

/** A running mock provider. */
export interface MockProvider {
  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The provider face it speaks. */
  readonly face: MockFaceName;
  /** GSTN face: the certificate (PEM) of its current key pair; other faces throw. */
  certificate(): string;
  /** GSTN face: a new key pair, as GSTN's yearly rotation; returns the new certificate. */
  rotateCertificate(): string;
  /** NIC faces: NIC's public key (PEM) the mock decrypts with; other faces throw. */
  publicKey(): string;
  /**
   * GSTN face: answer reads as large ones (`{ ek, urls }`, files of `.tar.gz`), optionally with
   * one file's hash wrong; `undefined` answers them whole again.
   */
  setLargeReads(
    large:
      | { readonly parts: number; readonly wrongHashPart?: number; readonly emptyPart?: number }
      | undefined,
  ): void;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** The OTP last sent to a GSTIN's taxpayer and still pending, as the SMS would show it. */
  otpFor(gstin: string): string | undefined;
  /**
   * Sets (or, with `undefined`, clears) a route's fault. Route `*` applies to every route
   * that has no fault of its own.
   */
  setFault(route: MockRoute | '*', fault: MockFault | undefined): void;
  /** Clears every fault. */
  clearFaults(): void;
  /** How many requests are being held by a `hang` fault. */
  hanging(): number;
  /** The most requests it was answering at once since it started (a fleet's in-flight cap, seen from the provider). */
  peakInFlight(): number;
  /** Starts counting `peakInFlight` again from the requests in flight now. */
  resetPeakInFlight(): void;
  /** Answers every held request with an error status (default 503), as a provider that recovers. */
  release(status?: number): void;
  /** How many requests matched a route (and, optionally, a GSTIN). */
  count(route: MockRoute, gstin?: string): number;
  /** Makes every issued access token stale, as if its ttl had run out. */
  expireAccessTokens(): void;
  /** Makes every issued auth token invalid, as if GSTN had ended the session. */
  revokeAuthTokens(): void;
  /** Whether an auth token is one this mock issued and is still valid. */
  isAuthTokenValid(authToken: string): boolean;
  /**
   * Has GSTN refuse every read of one auth token with `code` (default `RET11402`), as a token
   * dropped mid-workflow; a refresh of it still works (a new token reads again).
   */
  refuseReadsWith(authToken: string, code?: string): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/** The account the mock accepts by default (test credentials; not a secret). */
export const MOCK_DEFAULT_ACCOUNT: MockAccount = {
  username: 'demo-api-user',
  password: 'demo-api-key',
};
