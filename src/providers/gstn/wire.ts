import * as v from 'valibot';
import { NumericSchema } from '../../schemas/numeric.js';

/*
 * GSTN's auth answers, as its taxpayer API sends them (through a GSP pass-through). Errors
 * (`status_cd` 0) are read before these, by `gstnErrorIn`.
 */

const Required = v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'));

/** `status_cd` of a success: `1` or `"1"` (GSPs differ on strings and numbers). */
const SuccessSchema = v.union([v.literal(1), v.literal('1')], 'must be 1');

/** OTPREQUEST and LOGOUT answer `{ status_cd: "1" }`. */
export const GstnStatusAnswerSchema = v.looseObject(
  { status_cd: SuccessSchema },
  'must be an object',
);

/** AUTHTOKEN and REFRESHTOKEN answer `{ status_cd, auth_token, expiry, sek }`. */
export const GstnTokenAnswerSchema = v.looseObject(
  {
    status_cd: SuccessSchema,
    auth_token: v.pipe(Required, v.regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters')),
    /** Minutes (360); one in the past or of no length is refused where it is read. */
    expiry: NumericSchema,
    /** The SEK, AES-encrypted under the app key, base64. */
    sek: Required,
  },
  'must be an object',
);
