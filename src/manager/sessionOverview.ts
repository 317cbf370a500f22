import type { SessionConfig, SessionState, StableState } from '../../machines/gstrSession.types.js';
import { nextTokenDeadline, refreshAtOf } from '../../machines/sessionRules.js';
import type { PersistedGstrSession } from '../session/persistence.js';

/** What an operator sees of one session: no secret, every deadline. */
export interface SessionOverview {
  readonly gstin: string;
  readonly username: string;
  /** Its state: a live session's own (a request in flight shows, e.g. `refreshing`). */
  readonly state: SessionState;
  /** Whether this manager runs it live now (else: dormant here, or only in the store). */
  readonly live: boolean;
  /** When the token expires, if one is held. */
  readonly expiresAt: number | undefined;
  /** When the portal access duration ends (providers that report it), if a token is held. */
  readonly accessExpiresAt: number | undefined;
  /** When the held token's refresh (or its warning) is due. */
  readonly refreshAt: number | undefined;
  /** When the session must next be looked at (a refresh, a retry, an expiry), if ever. */
  readonly nextDeadlineAt: number | undefined;
  /** When the pending OTP runs out (a session waiting for one). */
  readonly otpExpiresAt: number | undefined;
  /** Whether every try to refresh the held token failed (it will run out). */
  readonly refreshFailed: boolean;
  /** Why it failed, for a failed session: the error's class and step (never its message). */
  readonly error: { readonly name: string; readonly step: string } | undefined;
  /** Whether only a person can bring it back (an OTP to type or to ask for). */
  readonly needsPerson: boolean;
  /** When it was saved. */
  readonly savedAt: number;
}

/** The states in which a session has no token and only a person (an OTP) brings one back. */
const PERSON_STATES: ReadonlySet<StableState> = new Set([
  'loggedOut',
  'otpRequested',
  'otpExpired',
  'expired',
  'failed',
]);

/**
 * The overview of a saved record, or of a live session's (its persisted record and its
 * `liveState`).
 */
export function overviewOf(
  record: PersistedGstrSession,
  config: SessionConfig,
  liveState?: SessionState,
): SessionOverview {
  const { token } = record;
  return {
    gstin: record.gstin,
    username: record.username,
    state: liveState ?? record.state,
    live: liveState !== undefined,
    expiresAt: token?.expiresAt,
    accessExpiresAt: token?.accessExpiresAt,
    refreshAt: token ? refreshAtOf(token, config) : undefined,
    nextDeadlineAt: nextTokenDeadline(record, config),
    otpExpiresAt: record.state === 'otpRequested' ? record.otpExpiresAt : undefined,
    refreshFailed: record.refreshFailed,
    error: record.error ? { name: record.error.name, step: record.error.step } : undefined,
    needsPerson: PERSON_STATES.has(record.state),
    savedAt: record.savedAt,
  };
}
