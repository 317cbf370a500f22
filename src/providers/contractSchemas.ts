import * as v from 'valibot';
import type { GstrProvider } from './GstrProvider.js';

const Secret = v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'));
const Time = v.pipe(v.number('must be a number'), v.finite('must be finite'));
/** A provider's named values: a plain record of strings (it is persisted as JSON). */
const Named = v.record(
  v.pipe(v.string(), v.nonEmpty('must have a name')),
  v.string('must be a string'),
  'must be a record of strings',
);

/**
 * What any provider's `login` must answer ({@link AccessToken}). The session checks every
 * provider's results with these schemas, so an app's own provider cannot put an empty token
 * or a `NaN` expiry into a session either.
 */
export const AccessTokenSchema = v.object(
  {
    // Sent in a header by HTTP providers: visible ASCII only, never a CR/LF.
    accessToken: v.pipe(Secret, v.regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters')),
    expiresAt: Time,
    details: v.optional(Named),
  },
  'must be an object',
);

/** What any provider's `requestOtp` must answer. */
export const OtpChallengeSchema = v.object(
  { secrets: Named, message: v.optional(v.string('must be a string')) },
  'must be an object',
);

/** What any provider's `read` must answer. */
export const ReadOutcomeSchema = v.variant(
  'kind',
  [
    v.object({ kind: v.literal('data'), data: v.unknown() }),
    v.object({ kind: v.literal('noData'), code: v.string(), message: v.string() }),
    v.object({
      kind: v.literal('queued'),
      code: v.string(),
      message: v.string(),
      retryAfterMs: v.optional(v.number()),
    }),
  ],
  'must be a read outcome (data, noData or queued)',
);

/** What any provider's `getAuthToken` and `refreshToken` must answer. */
export const TaxpayerSessionSchema = v.object(
  {
    authToken: Secret,
    expiresAt: Time,
    accessExpiresAt: v.optional(Time),
    secrets: Named,
    message: v.optional(v.string('must be a string')),
  },
  'must be an object',
);

const CapabilitiesSchema = v.object({
  login: v.boolean(),
  refresh: v.boolean(),
  logout: v.boolean(),
  accessDuration: v.boolean(),
  reads: v.boolean(),
  challenge: v.optional(v.picklist(['otp', 'password'])),
  renewWindowMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

/**
 * A value that can serve as a {@link GstrProvider}: declared capabilities, and a method for
 * each declared one (and none claimed that is missing). Checked by reference: a class instance
 * keeps its `this` and private fields.
 */
export const GstrProviderSchema = v.custom<GstrProvider>((value) => {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const declared = v.safeParse(CapabilitiesSchema, p.capabilities);
  if (!declared.success) return false;
  const { login, refresh, logout, reads, challenge } = declared.output;
  const has = (method: string): boolean => typeof p[method] === 'function';
  return (
    typeof p.name === 'string' &&
    has('requestOtp') &&
    has('getAuthToken') &&
    has('login') === login &&
    has('refreshToken') === refresh &&
    has('logout') === logout &&
    has('read') === reads &&
    has('authenticate') === (challenge === 'password')
  );
}, 'must be a GstrProvider (name, capabilities, requestOtp, getAuthToken, and a method for each capability it declares: authenticate for a password challenge)');
