import * as v from 'valibot';

/** A number, or a string holding one (providers are not consistent). */
const NumericSchema = v.union(
  [
    v.pipe(v.number(), v.finite()),
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^-?[0-9]+(\.[0-9]+)?$/),
      v.transform((s) => Number(s)),
    ),
  ],
  'must be a number',
);

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

/**
 * An error body: LoopBack's `{ error: { statusCode, name, message, code } }` or GSTN's
 * `{ status_cd: 0, error: { error_cd, message } }`, possibly nested in `result`.
 */
export const ErrorBodySchema = v.looseObject({
  error: v.optional(
    v.looseObject({
      error_cd: v.optional(v.string()),
      code: v.optional(v.union([v.string(), v.number()])),
      message: v.optional(v.string()),
      name: v.optional(v.string()),
    }),
  ),
});
