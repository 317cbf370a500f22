import * as v from 'valibot';
import { GstinSchema } from '../../schemas/gstin.js';
import { NumericSchema } from '../../schemas/numeric.js';
import { OpaqueStringSchema, OtpSchema, UsernameSchema } from '../../schemas/requests.js';

/*
 * Signzy's wire format: what its "patrons" API takes and answers. Only the Signzy client reads
 * these; what is GSTN's own (codes, error bodies) is in `providers/gstn/`.
 */

/** The provider API credentials used by `login`. */
export const LoginCredentialsSchema = v.object({
  username: v.pipe(v.string('must be a string'), v.trim(), v.nonEmpty('must not be empty')),
  password: OpaqueStringSchema,
});

/** What is exchanged for the auth token. */
export const GetAuthTokenInputSchema = v.object({
  gstin: GstinSchema,
  username: UsernameSchema,
  otp: OtpSchema,
  appKey: OpaqueStringSchema,
});

/** What a token refresh needs (GSTN's REFRESHTOKEN, where a provider offers it). */
export const RefreshTokenInputSchema = v.object({
  gstin: GstinSchema,
  username: UsernameSchema,
  authToken: OpaqueStringSchema,
  appKey: OpaqueStringSchema,
});

/** Input of a generic authenticated GSTR task: a task name and its `essentials`. */
export const CallInputSchema = v.object({
  task: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
  essentials: v.record(v.string(), v.unknown(), 'must be an object'),
});

const Required = v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'));

/** `POST /api/v2/patrons/login` answer: `{ id, ttl, created, userId }`. */
export const LoginResponseSchema = v.looseObject(
  {
    // It goes into a header: only visible ASCII, never a CR/LF that could split the request.
    id: v.pipe(Required, v.regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters')),
    ttl: v.optional(v.pipe(NumericSchema, v.minValue(0, 'must not be negative'))),
    created: v.optional(v.string('must be a string')),
    userId: Required,
  },
  'must be an object',
);

/** `getOtp` answer: `{ result: { appKey, message } }`. */
export const GetOtpResponseSchema = v.looseObject(
  {
    result: v.looseObject(
      { appKey: Required, message: v.optional(v.string()) },
      'must be an object',
    ),
  },
  'must be an object',
);

/** `getAuthToken` answer: `{ result: { authToken, expiry, sek, message } }`. */
export const GetAuthTokenResponseSchema = v.looseObject(
  {
    result: v.looseObject(
      {
        authToken: Required,
        sek: Required,
        expiry: NumericSchema,
        message: v.optional(v.string()),
      },
      'must be an object',
    ),
  },
  'must be an object',
);

/** The answer of any later GSTR task: at least a `result`. */
export const CallResponseSchema = v.looseObject({ result: v.unknown() }, 'must be an object');
