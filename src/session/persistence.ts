import * as v from 'valibot';
import type { SnapshotFrom } from 'xstate';
import type { gstrSessionMachine } from '../../machines/gstrSession.machine.js';
import {
  type GstrSessionContext,
  type SessionState,
  STABLE_STATES,
  type StableState,
} from '../../machines/gstrSession.types.js';
import { CLEARED_RECORD, recordOf, SessionRecordSchema } from '../../machines/sessionRecord.js';
import { GstrError } from '../errors/GstrError.js';
import { InvalidInputError } from '../errors/InvalidInputError.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { parseInput } from '../schemas/parse.js';
import { migrateV1, PersistedV1Schema } from './persistedV1.js';

/** A session's machine snapshot. */
export type GstrSessionSnapshot = SnapshotFrom<typeof gstrSessionMachine>;

/**
 * The format version of a persisted session (`persist()`). Version 2 holds provider-owned
 * records (challenge, token secrets, account details); version 1 records (0.1, 0.2) are
 * migrated on restore (see `persistedV1.ts`).
 */
export const PERSISTED_VERSION = 2;

/** The schema of a persisted session; restored data is validated like any other input. */
export const PersistedSessionSchema = v.object({
  version: v.literal(PERSISTED_VERSION, 'must be version 2 (or 1, migrated)'),
  /** The name of the provider that made it (absent in records migrated from version 1). */
  provider: v.optional(v.string('must be a string')),
  state: v.picklist(STABLE_STATES, 'must be a stable state'),
  savedAt: v.number('must be a number'),
  gstin: v.string('must be a string'),
  username: v.string('must be a string'),
  ...SessionRecordSchema.entries,
  error: v.optional(v.object({ name: v.string(), message: v.string(), step: v.string() })),
});

/**
 * A JSON-serialisable saved session. It holds secrets (access token, appKey, auth token,
 * sek): store it as you would store the token itself, e.g. with `encryptedStore`.
 */
export type PersistedGstrSession = v.InferOutput<typeof PersistedSessionSchema>;

/**
 * Where a snapshot taken in a transient state is restored. XState would re-run the in-flight
 * request on restore; these choices make sure a restore never sends a second OTP nor replays
 * a consumed one.
 */
const RESTORE_STATE: Record<SessionState, StableState> = {
  loggedOut: 'loggedOut',
  otpRequested: 'otpRequested',
  otpExpired: 'otpExpired',
  authenticated: 'authenticated',
  expired: 'expired',
  failed: 'failed',
  // Logging in has no side effect: start() simply logs in again.
  loggingIn: 'loggedOut',
  // A password login has no side effect a person sees: start() logs in again.
  authenticating: 'loggedOut',
  // An SMS may or may not have gone out: only a person may ask for another.
  requestingOtp: 'otpExpired',
  // The OTP is never stored; the person types it again (or resends if it was consumed).
  verifyingOtp: 'otpRequested',
  // The old token is still held; the restored timer decides whether to refresh again.
  refreshing: 'authenticated',
  loggingOut: 'loggedOut',
};

/** Saves a session's snapshot in a versioned, JSON-serialisable form. */
export function persistSnapshot(
  snapshot: GstrSessionSnapshot,
  savedAt: number,
): PersistedGstrSession {
  // Every field of the record is written, so that nothing a session holds is lost on a save.
  const c = snapshot.context;
  const state = RESTORE_STATE[snapshot.value as SessionState];
  const record = recordOf(c);
  // Restored logged out: nothing of the round survives.
  const cleared = state === 'loggedOut' ? { ...CLEARED_RECORD } : {};
  // Saved while an OTP was being requested: that appKey may never have reached an SMS.
  const otpLost =
    snapshot.value === 'requestingOtp' ? { challenge: undefined, otpExpiresAt: undefined } : {};
  // Fields without a value are left out, as JSON would: the record reads the same either way.
  const fields = Object.entries({ ...record, ...cleared, ...otpLost }).filter(
    ([, value]) => value !== undefined,
  );
  return {
    version: PERSISTED_VERSION,
    provider: c.deps.provider.name,
    state,
    savedAt,
    gstin: c.gstin,
    username: c.username,
    ...(Object.fromEntries(fields) as typeof record),
    ...(c.error && state === 'failed'
      ? { error: { name: c.error.name, message: c.error.message, step: c.error.step } }
      : {}),
  };
}

/**
 * What a record in each state must hold to be resumed as it was. An `authenticated` record
 * without its token would make `credentials()` wait for a token that never comes; one
 * without its challenge, or (for a provider with a login) its access token, could not make a
 * single call.
 */
function requiredFields(
  state: StableState,
  hasLogin: boolean,
): readonly (keyof PersistedGstrSession)[] {
  if (state === 'authenticated') return hasLogin ? ['token', 'access'] : ['token'];
  if (state === 'otpRequested') return ['challenge', 'otpExpiresAt'];
  return [];
}

/** A saved session in the current format: version 1 records are migrated, others as they are. */
function currentFormat(saved: unknown): unknown {
  const version = (saved as { version?: unknown } | null)?.version;
  if (version !== 1) return saved;
  return migrateV1(parseInput(PersistedV1Schema, saved, 'session', 'snapshot'));
}

/** Validates a saved session of any format version this release reads, in the current format. */
export function readPersisted(saved: unknown): PersistedGstrSession {
  return parseInput(PersistedSessionSchema, currentFormat(saved), 'session', 'snapshot');
}

/**
 * Validates a saved session (of any format version this release reads) for this taxpayer and
 * provider, and returns it in the current format.
 */
export function parsePersisted(
  saved: unknown,
  expected: {
    readonly gstin: string;
    readonly username: string;
    readonly provider: Pick<GstrProvider, 'name' | 'capabilities'>;
  },
): PersistedGstrSession {
  const persisted = readPersisted(saved);
  // A record of another provider holds tokens this one cannot use (and secrets it must not see).
  if (persisted.provider !== undefined && persisted.provider !== expected.provider.name) {
    parseInput(
      v.never(`must belong to the provider in use (${expected.provider.name})`),
      persisted.provider,
      'session',
      'snapshot.provider',
    );
  }
  for (const field of requiredFields(persisted.state, expected.provider.capabilities.login)) {
    if (persisted[field] === undefined) {
      throw new InvalidInputError(
        `snapshot.${field}`,
        `is missing, which a ${persisted.state} session needs`,
        { step: 'session' },
      );
    }
  }
  if (persisted.gstin !== expected.gstin || persisted.username !== expected.username) {
    parseInput(
      v.never('must belong to the same GSTIN and username'),
      persisted,
      'session',
      'snapshot',
    );
  }
  return persisted;
}

/** The context of a restored session: saved data plus this process's dependencies and config. */
export function restoredContext(
  persisted: PersistedGstrSession,
  fresh: GstrSessionContext,
): GstrSessionContext {
  return {
    ...fresh,
    ...recordOf(persisted),
    error: persisted.error
      ? new GstrError(`Restored failure (${persisted.error.name}): ${persisted.error.message}`, {
          step: persisted.error.step as GstrError['step'],
        })
      : undefined,
  };
}
