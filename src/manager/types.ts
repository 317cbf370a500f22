import type {
  GstrSessionEmitted,
  SessionConfig,
  SessionState,
} from '../../machines/gstrSession.types.js';
import type { StoreError } from '../errors/StoreError.js';
import type { AccountLimits } from '../gate/accountLimits.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import type { GstrRead, ReadOutcome } from '../reads/GstrRead.js';
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
  /** An XState inspector for every live session (redacted). */
  readonly inspect?: Inspector;
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

/** A stored record that `start()` could not read, and why. */
export interface SkippedRecord {
  readonly gstin: string;
  readonly username: string;
  /** Why, e.g. `cannot decrypt: wrong key, or the record was tampered with`. */
  readonly reason: string;
  /** The error that `credentials()` of this key rejects with until the record is replaced. */
  readonly error: StoreError;
}

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
  call<R extends GstrRead>(
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
  /** Every session. */
  list(): SessionSummary[];
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
