import type { Actor } from 'xstate';
import type { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import type {
  GstrSessionEmitted,
  SessionConfig,
  SessionState,
} from '../../machines/gstrSession.types.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import type { ReadOutcome } from '../reads/GstrRead.js';
import type { SessionRead } from '../reads/NicRead.js';
import type { ReadDataOf } from '../reads/readData.js';
import type { AuditHook } from '../telemetry/auditRecord.js';
import type { SessionClock } from '../time/clock.js';
import type { Inspector } from './createRedactingInspector.js';
import type { GstrSessionSnapshot, PersistedGstrSession } from './persistence.js';

/**
 * Where the session writes what it does. Secrets are never passed to it. `console` fits, and
 * so does a pino logger as it is: it is called object first (`logger.warn(data, message)`).
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * createGstrSession({ provider, gstin, username, logger: pino() }); // fields stay fields
 * ```
 */
export interface SessionLogger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

/** Options of {@link createGstrSession}; every {@link SessionConfig} number is optional too. */
export interface GstrSessionOptions extends Partial<SessionConfig> {
  /** The provider client, e.g. `signzyProvider({...})`. */
  readonly provider: GstrProvider;
  /** The taxpayer's GSTIN; trimmed, upper-cased and checksum-validated. */
  readonly gstin: string;
  /** The taxpayer's GST portal username. */
  readonly username: string;
  /** A saved session from `persist()` to resume. */
  readonly snapshot?: PersistedGstrSession | unknown;
  /** Wall-clock time and timers. Default the system clock. */
  readonly clock?: SessionClock;
  /** An XState inspector; it receives redacted events only. */
  readonly inspect?: Inspector;
  /** A logger for transitions and errors; it never receives secrets. */
  readonly logger?: SessionLogger;
  /**
   * After a restore into `authenticated`, the first `call()` first makes the cheapest read
   * (`filingPreference`) to prove the token is alive, and treats a refusal like any token
   * refusal. Default false.
   */
  readonly validateOnRestore?: boolean;
  /**
   * Receives the audit trail: one record per provider call this session makes and per
   * person action (OTP typed, OTP requested, logout), with its outcome and duration. Built
   * from fixed fields only: no message, token, OTP or key is ever in a record.
   */
  readonly onAudit?: AuditHook;
}

/** Everything a later GSTR call needs; what each provider fills in is in the guide ("Providers"). */
export interface SessionCredentials {
  /** The provider's name (`signzy`, `gstn`, `sandbox`, or an app's own). */
  readonly provider: string;
  readonly gstin: string;
  readonly username: string;
  /** The GSTR auth token (Sandbox: the taxpayer access token). Secret. */
  readonly authToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** When the portal access duration ends (epoch ms), where the provider reports it. */
  readonly accessExpiresAt: number | undefined;
  /**
   * The session encryption key (Signzy: as the provider gave it; GSTN direct: the decrypted
   * SEK, base64). `undefined` for a provider that has none (Sandbox). Secret.
   */
  readonly sek: string | undefined;
  /**
   * The app key (Signzy: the one of the OTP round; GSTN direct: the 32-byte key, base64).
   * `undefined` for a provider that has none (Sandbox). Secret.
   */
  readonly appKey: string | undefined;
  /** The provider access token, for providers with a login (Signzy, Sandbox). Secret. */
  readonly accessToken: string | undefined;
  /** Everything the provider keeps with the token, by name (see the guide per provider). Secret. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The provider's non-secret account details (Signzy: `patronId`). */
  readonly details: Readonly<Record<string, string>>;
}

/** Options of a wait. */
export interface WaitOptions {
  /** Abort the wait (the session itself goes on). */
  readonly signal?: AbortSignal;
  /** Give up after this long, with a `TimeoutError`. Default 15 minutes. */
  readonly timeoutMs?: number;
}

/** Options of `call()`: the read's own bounds, and how long to wait for a usable token. */
export interface CallOptions {
  /** Abort the read (and the wait before it). */
  readonly signal?: AbortSignal;
  /** The longest the read may take, in ms, all its requests and downloads. Default the provider's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** The largest answer accepted, in bytes. Default the provider's `maxCallResponseBytes` (32 MiB). */
  readonly maxResponseBytes?: number;
  /**
   * The most the whole read may hold, in bytes: every file of a large answer together,
   * downloaded and decompressed. Default the provider's `maxReadBytes` (256 MiB).
   */
  readonly maxReadBytes?: number;
  /** How long to wait for a usable token first (an OTP a person must type). Default 15 minutes. */
  readonly waitTimeoutMs?: number;
}

/** The type of an event the session emits, e.g. `otp.required`. */
export type EmittedType = GstrSessionEmitted['type'];
/** The emitted event of a given type. */
export type EmittedOf<T extends EmittedType> = Extract<GstrSessionEmitted, { type: T }>;

/** A GSTR session for one taxpayer, usable without knowing XState. */
export interface GstrSession {
  readonly gstin: string;
  readonly username: string;
  /** The current state, e.g. `otpRequested`. */
  readonly state: SessionState;
  /** The current machine snapshot. */
  readonly snapshot: GstrSessionSnapshot;
  /** The XState actor, for inspection and embedding. */
  readonly actor: Actor<typeof gstrSessionMachine>;
  /** Starts the session, or resumes a restored one where it was (no new login or OTP if authenticated). */
  start(): void;
  /**
   * Submits the OTP; resolves with the credentials, rejects with `OtpRejectedError` on a wrong
   * OTP. `options` bound the wait for the answer (the OTP, once sent, is not taken back).
   */
  submitOtp(otp: string, options?: WaitOptions): Promise<SessionCredentials>;
  /** Asks for another SMS; resolves once it is sent. Refused within the cooldown or past the limit. */
  resendOtp(options?: WaitOptions): Promise<void>;
  /** Starts re-authentication of an expired (or failed) session. */
  reauthenticate(): void;
  /**
   * Tells the session that GSTN refused a token (AUTH4033, RET11407...): it refreshes where the
   * provider can, else it expires. Pass the refused `authToken` when the app made the call
   * itself: a refusal of a token the session no longer holds (already refreshed, or being
   * refreshed now) then changes nothing, so concurrent refusals cost one renewal, not an SMS.
   */
  reportTokenRejected(authToken?: string): void;
  /** Compares the deadlines with the wall clock now (call it when the machine wakes from sleep). */
  checkClock(): void;
  /** Logs out (provider logout where offered) and clears every secret; resolves when done. */
  logout(options?: WaitOptions): Promise<void>;
  /**
   * The credentials: at once when authenticated, otherwise after re-authentication. Rejects
   * with a typed error when the session fails, is logged out, needs a person (`manual` mode,
   * or an expired OTP), or the wait times out. Never hangs.
   */
  credentials(options?: WaitOptions): Promise<SessionCredentials>;
  /**
   * Reads returns with the session's token: waits for usable credentials by the rules of
   * `credentials()`, then reads. A token GSTN refuses mid-flight expires the session (or
   * refreshes it, where the provider can) and the read is retried once with the new token
   * (auto mode), or rejects with `ReauthenticationRequiredError` (manual mode).
   *
   * @example
   * ```ts
   * const result = await session.call(gstr3bSummary('042024'));
   * if (result.kind === 'data') use(result.data);
   * else if (result.kind === 'noData') console.log('nothing filed:', result.code);
   * ```
   */
  call<R extends SessionRead>(
    request: R,
    options?: CallOptions,
  ): Promise<ReadOutcome<ReadDataOf<R>>>;
  /** Listens to an emitted event; returns the function that stops listening. */
  on<T extends EmittedType>(type: T, handler: (event: EmittedOf<T>) => void): () => void;
  /**
   * The next emitted event of a type. Rejects on abort or after `timeoutMs` (default 15 min),
   * like every wait.
   *
   * @example
   * ```ts
   * const { reason } = await session.once('otp.required', { timeoutMs: 60_000 });
   * ```
   */
  once<T extends EmittedType>(type: T, options?: WaitOptions): Promise<EmittedOf<T>>;
  /** Listens to every snapshot; returns the function that stops listening. */
  subscribe(listener: (snapshot: GstrSessionSnapshot) => void): () => void;
  /** A JSON-serialisable snapshot for `createGstrSession({ snapshot })`. Holds secrets. */
  persist(): PersistedGstrSession;
  /** Stops the session's timers and requests; pending waits reject. */
  stop(): void;
  /** `await using session = createGstrSession(...)`: stops the session at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

export type { SessionClock } from '../time/clock.js';
