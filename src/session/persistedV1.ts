import * as v from 'valibot';
import { STABLE_STATES } from '../../machines/gstrSession.types.js';
import { OTP_REASONS } from '../../machines/sessionRecord.js';
import { InvalidInputError } from '../errors/InvalidInputError.js';

/**
 * The persisted format of 0.1 and 0.2 (version 1), frozen: records saved by those releases are
 * read with it and migrated to the current format, losslessly, so that an upgrade never costs
 * an OTP. Never changed; a new format gets a new file.
 */
export const PersistedV1Schema = v.object({
  version: v.literal(1),
  state: v.picklist(STABLE_STATES, 'must be a stable state'),
  savedAt: v.number('must be a number'),
  gstin: v.string('must be a string'),
  username: v.string('must be a string'),
  access: v.optional(
    v.object({
      accessToken: v.pipe(v.string(), v.nonEmpty()),
      patronId: v.string(),
      expiresAt: v.number(),
    }),
  ),
  appKey: v.optional(v.pipe(v.string(), v.nonEmpty())),
  otpReason: v.optional(v.picklist(OTP_REASONS)),
  otpRequestedAt: v.optional(v.number()),
  otpExpiresAt: v.optional(v.number()),
  otpAttempts: v.optional(v.number()),
  otpResends: v.optional(v.number()),
  token: v.optional(
    v.object({
      authToken: v.pipe(v.string(), v.nonEmpty()),
      sek: v.pipe(v.string(), v.nonEmpty()),
      expiresAt: v.number(),
      refreshAt: v.optional(v.number()),
    }),
  ),
  expiringNotified: v.optional(v.boolean()),
  refreshFailed: v.optional(v.boolean()),
  error: v.optional(v.object({ name: v.string(), message: v.string(), step: v.string() })),
});

/** A record in the version 1 format. */
export type PersistedV1 = v.InferOutput<typeof PersistedV1Schema>;

/**
 * A version 1 record in the version 2 shape (to be checked by the current schema). Version 1
 * was written for Signzy's shape: the appKey was the OTP round's challenge and, once
 * authenticated, went with the token and its sek; `patronId` was the account's one detail.
 */
export function migrateV1(record: PersistedV1): Record<string, unknown> {
  const { access, appKey, token, ...rest } = record;
  // Version 1 needed the appKey beside an authenticated token (Signzy echoes it on every call).
  if (record.state === 'authenticated' && appKey === undefined) {
    throw new InvalidInputError(
      'snapshot.appKey',
      'is missing, which a authenticated session needs',
      {
        step: 'session',
      },
    );
  }
  return {
    ...rest,
    // No provider name: version 1 did not record it, and the app's provider (Signzy or its
    // own, in the Signzy shape) is the one that saved the record.
    version: 2,
    ...(access
      ? {
          access: {
            accessToken: access.accessToken,
            expiresAt: access.expiresAt,
            details: { patronId: access.patronId },
          },
        }
      : {}),
    ...(appKey && !token ? { challenge: { secrets: { appKey } } } : {}),
    ...(token
      ? {
          token: {
            authToken: token.authToken,
            expiresAt: token.expiresAt,
            ...(token.refreshAt === undefined ? {} : { refreshAt: token.refreshAt }),
            secrets: { sek: token.sek, ...(appKey ? { appKey } : {}) },
          },
        }
      : {}),
  };
}
