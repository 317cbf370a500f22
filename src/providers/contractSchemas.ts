import * as v from 'valibot';
import type { GstrProvider } from './GstrProvider.js';

const Secret = v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'));
const Time = v.pipe(v.number('must be a number'), v.finite('must be finite'));

/**
 * What any provider's `login` must answer ({@link AccessToken}). The session checks every
 * provider's results with these schemas, so an app's own provider cannot put an empty token
 * or a `NaN` expiry into a session either.
 */
export const AccessTokenSchema = v.object(
  {
    // Sent in a header by HTTP providers: visible ASCII only, never a CR/LF.
    accessToken: v.pipe(Secret, v.regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters')),
    patronId: v.string('must be a string'),
    expiresAt: Time,
  },
  'must be an object',
);

/** What any provider's `requestOtp` must answer. */
export const OtpRequestResultSchema = v.object(
  { appKey: Secret, message: v.optional(v.string('must be a string')) },
  'must be an object',
);

/** What any provider's `getAuthToken` and `refreshToken` must answer. */
export const AuthTokenResultSchema = v.object(
  {
    authToken: Secret,
    sek: v.string('must be a string'),
    expiresAt: Time,
    message: v.optional(v.string('must be a string')),
  },
  'must be an object',
);

/**
 * A value that can serve as a {@link GstrProvider}: the three calls every provider has, and
 * the optional ones as functions when present. Checked by reference: a class instance keeps
 * its `this` and private fields.
 */
export const GstrProviderSchema = v.custom<GstrProvider>((value) => {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    ['login', 'requestOtp', 'getAuthToken'].every((m) => typeof p[m] === 'function') &&
    ['refreshToken', 'logout'].every((m) => p[m] === undefined || typeof p[m] === 'function')
  );
}, 'must be a GstrProvider (login, requestOtp, getAuthToken)');
