import * as v from 'valibot';
import { MAX_EPOCH_MS } from '../src/time/delays.js';

// A time a `Date` can hold: a stored record with a larger one would break every reader that
// prints it (an ISO date), so it is refused where the record enters.
const Time = v.pipe(
  v.number('must be a number'),
  v.finite('must be finite'),
  v.minValue(-MAX_EPOCH_MS, 'must be within the range of a date'),
  v.maxValue(MAX_EPOCH_MS, 'must be within the range of a date'),
);
const Count = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(0, 'must not be negative'),
);

/** Why an OTP is being asked for, every value. */
export const OTP_REASONS = ['initial', 'expired', 'resend', 'rejected'] as const;

/** A provider's named values (its secrets or details): a plain record of strings. */
const NamedSchema = v.record(v.pipe(v.string(), v.nonEmpty()), v.string());

/** The provider access token as a session holds it (providers with a login). */
export const AccessRecordSchema = v.object({
  accessToken: v.pipe(v.string(), v.nonEmpty()),
  expiresAt: Time,
  /** The provider's non-secret account details (Signzy: `patronId`). */
  details: v.optional(NamedSchema),
});

/** The OTP challenge of the current round as a session holds it. */
export const ChallengeRecordSchema = v.object({
  /** What the provider needs back with the OTP (secret). */
  secrets: NamedSchema,
});

/** The taxpayer session (the auth token and what the provider keeps with it) as a session holds it. */
export const TokenRecordSchema = v.object({
  authToken: v.pipe(v.string(), v.nonEmpty()),
  /** Epoch milliseconds. */
  expiresAt: Time,
  /** When the portal access duration ends, where the provider reports it (epoch ms). */
  accessExpiresAt: v.optional(Time),
  /** What the provider keeps with the token (secret; Signzy: `sek`, `appKey`). */
  secrets: NamedSchema,
  /**
   * When this token's lead time starts (refresh or `session.expiring`), epoch ms. Set when the
   * token arrives (see `refreshAtFor`); absent in records saved by 0.1.0.
   */
  refreshAt: v.optional(Time),
});

/**
 * The one definition of a session's own data: every field of the context that is not a
 * dependency, the config, the taxpayer or the last error. The context type, a new session's
 * values (each field's default here), what logout clears, what is persisted and what is
 * restored all derive from it: a new field is added here and in the code that uses it.
 */
export const SessionRecordSchema = v.object({
  /** The provider access token (secret). */
  access: v.optional(AccessRecordSchema),
  /** The challenge of the current OTP round (secret). */
  challenge: v.optional(ChallengeRecordSchema),
  otpReason: v.optional(v.picklist(OTP_REASONS), 'initial'),
  otpRequestedAt: v.optional(Time),
  otpExpiresAt: v.optional(Time),
  /** Wrong OTPs for the current challenge. */
  otpAttempts: v.optional(Count, 0),
  /** Resends in the current round. */
  otpResends: v.optional(Count, 0),
  /** The taxpayer session (secret). */
  token: v.optional(TokenRecordSchema),
  /**
   * The taxpayer session being logged out: moved out of `token` when logout begins, so that
   * nothing hands it out while the provider is told, and cleared with everything else after.
   */
  endingToken: v.optional(TokenRecordSchema),
  /** Whether `session.expiring` was emitted for the current token. */
  expiringNotified: v.optional(v.boolean(), false),
  /**
   * Whether refreshing the current token failed for good: refused, or every retry spent (then
   * the token runs out and expires).
   */
  refreshFailed: v.optional(v.boolean(), false),
  /** Failed refreshes of the current token so far (each is retried, see `refreshRetryMs`). */
  refreshFailures: v.optional(Count, 0),
  /** When a failed refresh of the current token is tried again. */
  refreshRetryAt: v.optional(Time),
  /** The end of the portal access duration that `access.expiring` announced (once per end). */
  accessNoticeFor: v.optional(Time),
});

/** A session's own data (see {@link SessionRecordSchema}). */
export type SessionRecord = v.InferOutput<typeof SessionRecordSchema>;

/** The names of the record's fields. */
export const RECORD_KEYS = Object.keys(
  SessionRecordSchema.entries,
) as readonly (keyof SessionRecord)[];

/** Every field of the record, each at its default: a new session's record. */
export const EMPTY_RECORD: SessionRecord = Object.freeze(
  Object.fromEntries(
    RECORD_KEYS.map((key) => [key, v.parse(SessionRecordSchema, {})[key]]),
  ) as SessionRecord,
);

/** The record fields of any object that carries them (a context, a persisted session). */
export function recordOf(source: Partial<SessionRecord>): SessionRecord {
  return Object.fromEntries(RECORD_KEYS.map((key) => [key, source[key]])) as SessionRecord;
}

/**
 * What logging out leaves: every field back at its default, except the reason of the last
 * round (kept for whoever reads why the session last asked for an OTP).
 */
export const CLEARED_RECORD: Omit<SessionRecord, 'otpReason'> = Object.freeze(
  Object.fromEntries(
    RECORD_KEYS.filter((key) => key !== 'otpReason').map((key) => [key, EMPTY_RECORD[key]]),
  ) as Omit<SessionRecord, 'otpReason'>,
);
