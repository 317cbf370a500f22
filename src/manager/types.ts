import type {
  GstrSessionEmitted,
  SessionConfig,
  SessionState,
  StableState,
} from '../../machines/gstrSession.types.js';
import type { GstrError } from '../errors/GstrError.js';
import type { SkippedRecord } from '../fleet/readRecord.js';
import type { AccountLimits } from '../gate/accountLimits.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import type { ReadOutcome } from '../reads/GstrRead.js';
import type { SessionRead } from '../reads/NicRead.js';
import type { ReadDataOf } from '../reads/readData.js';
import type { Inspector } from '../session/createRedactingInspector.js';
import type {
  CallOptions,
  GstrSession,
  SessionClock,
  SessionCredentials,
  SessionLogger,
  WaitOptions,
} from '../session/types.js';
import type { SessionStore } from '../stores/SessionStore.js';
import type { AuditHook } from '../telemetry/auditRecord.js';
import type { SessionOverview } from './sessionOverview.js';

export type { SkippedRecord } from '../fleet/readRecord.js';

/** Options of {@link createSessionManager}; the {@link SessionConfig} numbers apply to every session. */
export interface SessionManagerOptions extends Partial<SessionConfig> {
  /** The provider client shared by every session. */
  readonly provider: GstrProvider;
  /** Where sessions are kept across restarts. Default `memoryStore()`. */
  readonly store?: SessionStore;
  /** How many provider logins may run at once across all sessions. Default 8. */
  readonly loginConcurrency?: number;
  /**
   * The name of the provider's API account, under which its access token is shared by every
   * session (and, on a shared store, every worker). Default the provider's name: give each
   * account its own name when one store serves several accounts of one provider.
   */
  readonly account?: string;
  /**
   * The account's limits: auth requests in flight, their rate, the circuit breaker and how
   * long a call waits for its turn. Kept by this manager, and on a shared store by every
   * worker together. Defaults in `ACCOUNT_LIMIT_DEFAULTS`.
   */
  readonly limits?: AccountLimits;
  /**
   * Keep idle authenticated sessions as snapshots under one scheduler instead of live actors
   * (about 10.6 KiB each, against about 1 KiB dormant), woken on use or at their next
   * deadline. Default true.
   */
  readonly dormant?: boolean;
  /** Time for every session and the scheduler. Default the system clock. */
  readonly clock?: SessionClock;
  readonly logger?: SessionLogger;
  /**
   * An XState inspector for every live session (redacted) and, on a shared store, for each
   * session's fleet protocol on this worker (machine id `fleetSync`: its lock and its commit).
   */
  readonly inspect?: Inspector;
  /**
   * Receives the audit trail of every session (see `GstrSessionOptions.onAudit`): one record
   * per provider call this worker makes and per person action, redacted by construction.
   */
  readonly onAudit?: AuditHook;
}

/**
 * A session held by a manager: the calls of a {@link GstrSession}, with what a manager does
 * differently. An idle authenticated session is dormant (a snapshot, no actor) and wakes when
 * a call needs the machine; `on()` and `subscribe()` listeners survive dormancy.
 */
export interface ManagedSession extends GstrSession {
  /** Reading it wakes a dormant session (which goes back to sleep once idle). */
  readonly snapshot: GstrSession['snapshot'];
  /**
   * Reading it wakes a dormant session. Subscriptions made on the actor itself end when the
   * session goes dormant again: use `subscribe()`, or `dormant: false`.
   */
  readonly actor: GstrSession['actor'];
  /**
   * Puts the session to sleep (dormant) when it is authenticated, or stops its actor; the
   * handle stays usable and the session wakes on the next call. To end it, `manager.remove()`.
   */
  stop(): void;
}

/** One session as `list()` shows it. */
export interface SessionSummary {
  readonly gstin: string;
  readonly username: string;
  readonly state: SessionState;
  /** When the token expires, if one is held. */
  readonly expiresAt: number | undefined;
  /** Whether a live actor runs for it now (false: dormant or not started). */
  readonly live: boolean;
}

/** An emitted event of any session, with the portal username next to its GSTIN. */
export type ManagedEvent = GstrSessionEmitted & { readonly username: string };

/** What `start()` found in the store. */
export interface RestoreReport {
  readonly restored: number;
  /** How many records could not be read or validated. */
  readonly skipped: number;
  /** Each of them, with the reason (also logged, or without a logger summed up on the console). */
  readonly skippedRecords: readonly SkippedRecord[];
}

/** Many taxpayers' sessions, one per (GSTIN, portal username), kept in a store. */
export interface SessionManager {
  /** Restores every saved session; authenticated ones stay so, with their deadlines re-armed. */
  start(): Promise<RestoreReport>;
  /** The session of a taxpayer, created if new. The handle stays valid across dormancy. */
  get(gstin: string, username: string): ManagedSession;
  /**
   * That session's credentials (see `GstrSession.credentials`), from memory when a dormant
   * session is authenticated. A session that is new or logged out is started by the first
   * call in `auto` mode (one OTP round, however many ask); in `manual` mode (the default) the
   * call rejects with `ReauthenticationRequiredError`, and `get(...).start()` starts a round.
   */
  credentials(gstin: string, username: string, options?: WaitOptions): Promise<SessionCredentials>;
  /**
   * Reads returns with that session's token (see `GstrSession.call`); in auto mode a new or
   * logged-out session is started first, in manual mode that is `ReauthenticationRequiredError`.
   *
   * @example
   * ```ts
   * const result = await manager.call('27AAPFU0939F1ZV', 'portal-user', gstr2b('042024'));
   * ```
   */
  call<R extends SessionRead>(
    gstin: string,
    username: string,
    request: R,
    options?: CallOptions,
  ): Promise<ReadOutcome<ReadDataOf<R>>>;
  /**
   * Passes on the OTP a person typed for that session (see `GstrSession.submitOtp`).
   *
   * @example
   * ```ts
   * await manager.submitOtp('27AAPFU0939F1ZV', 'portal-user', otpFromTheForm);
   * ```
   */
  submitOtp(
    gstin: string,
    username: string,
    otp: string,
    options?: WaitOptions,
  ): Promise<SessionCredentials>;
  /** Asks for another SMS for that session (see `GstrSession.resendOtp`). */
  resendOtp(gstin: string, username: string, options?: WaitOptions): Promise<void>;
  /**
   * Every session this manager holds in memory (see `sessions()` for the whole store).
   */
  list(): SessionSummary[];
  /**
   * One page of the sessions of the whole store that match `query` (state, access-window
   * end, expiry, failed, needing a person), read page by page (on Redis with `SCAN`), never
   * all at once; a session this worker holds answers from memory. Follow `cursor`.
   *
   * @example
   * ```ts
   * // Who needs an OTP this week: their portal access ends within 7 days.
   * const weekAhead = Date.now() + 7 * 86_400_000;
   * for (let cursor: string | undefined, first = true; first || cursor; first = false) {
   *   const page = await manager.sessions({ accessEndsBefore: weekAhead, cursor });
   *   for (const s of page.sessions) console.info(s.gstin, new Date(s.accessExpiresAt ?? 0));
   *   cursor = page.cursor;
   * }
   * ```
   */
  sessions(query?: SessionQuery): Promise<SessionPage>;
  /**
   * Starts an OTP round (one SMS) for each session that needs one, `concurrency` at a time
   * within the account's limits, and reports each outcome; a session whose OTP is still valid
   * or that holds a token gets no SMS. Every key is checked before anything is sent.
   *
   * @example
   * ```ts
   * const outcomes = await manager.requestOtps(keys, { concurrency: 8 });
   * const failed = outcomes.filter((o) => o.outcome === 'failed');
   * ```
   */
  requestOtps(
    keys: readonly { readonly gstin: string; readonly username: string }[],
    options?: RequestOtpsOptions,
  ): Promise<OtpRequestOutcome[]>;
  /** Stops a session and deletes it from the store (it does not log out at the provider). */
  remove(gstin: string, username: string): Promise<void>;
  /** Listens to an emitted event of every session; returns the function that stops listening. */
  on<T extends ManagedEvent['type']>(
    type: T,
    handler: (event: Extract<ManagedEvent, { type: T }>) => void,
  ): () => void;
  /** Waits until every pending store write is done. */
  flush(): Promise<void>;
  /** Saves and stops every session, stops the scheduler, waits for the writes. */
  close(): Promise<void>;
  /** `await using manager = createSessionManager(...)`: closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Which sessions `manager.sessions()` lists: every condition given must hold. A page answers
 * at most `limit` (default 100, at most 1 000; one Redis `SCAN` step may bring a few more)
 * and looks at no more than ten times that many records, so that it never hangs over a big
 * store: follow `cursor` until it is undefined.
 */
export interface SessionQuery {
  /** One state, or any of several (stable states). */
  readonly state?: StableState | readonly StableState[];
  /** Only sessions whose portal access duration ends before this time (ms). */
  readonly accessEndsBefore?: number;
  /** Only sessions whose token expires before this time (ms). */
  readonly expiresBefore?: number;
  /** Only sessions that need (or do not need) a person: no token, only an OTP brings one. */
  readonly needsPerson?: boolean;
  /** Only failed sessions (or only the others). */
  readonly failed?: boolean;
  /** Only sessions whose last error is of this class, e.g. `ProviderUnavailableError`. */
  readonly error?: string;
  /** Only this taxpayer's sessions. */
  readonly gstin?: string;
  /** Only sessions whose GSTIN or portal username contains this text (any case). */
  readonly search?: string;
  /** How many sessions a page answers. Default 100. */
  readonly limit?: number;
  /** Where to go on: the `cursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** One page of `manager.sessions()`. */
export interface SessionPage {
  readonly sessions: readonly SessionOverview[];
  /** Pass it back for the next page; undefined after the last. */
  readonly cursor: string | undefined;
  /** How many records this page looked at. */
  readonly scanned: number;
  /** When it was read, on the manager's clock (what its times are relative to). */
  readonly at: number;
}

/** Options of `manager.requestOtps`. */
export interface RequestOtpsOptions {
  /**
   * How many rounds are started at once. Default 4; every request also keeps the account's
   * limits (`limits`), on a shared store across the fleet.
   */
  readonly concurrency?: number;
  /** How long one session's OTP request may take, its wait for the account's turn included. Default 2 min. */
  readonly timeoutMs?: number;
  /** Stops starting rounds (those under way finish). */
  readonly signal?: AbortSignal;
  /** Called with each outcome as it comes (a progress bar, a log line). */
  readonly onOutcome?: (outcome: OtpRequestOutcome) => void;
}

/**
 * What `requestOtps` did for one session: an SMS went out (`requested`); none was needed
 * (`pending`: an OTP round is open and its OTP still valid; `authenticated`: a token is
 * held); the provider refused (`refused`: e.g. a resend too soon) or it failed (`failed`:
 * an outage, a timeout); or it was not started (`skipped`: the signal aborted first).
 */
export interface OtpRequestOutcome {
  readonly gstin: string;
  readonly username: string;
  readonly outcome: 'requested' | 'pending' | 'authenticated' | 'refused' | 'failed' | 'skipped';
  /** When the OTP that was sent (or is pending) runs out. */
  readonly otpExpiresAt?: number | undefined;
  /** Why, when refused or failed (secret-free, as every error of a session). */
  readonly error?: GstrError | unknown;
}
