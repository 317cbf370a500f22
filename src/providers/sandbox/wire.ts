import * as v from 'valibot';
import { NumericSchema } from '../../schemas/numeric.js';

/*
 * Sandbox.co.in's wire format. Its answers come in an envelope `{ code, timestamp,
 * transaction_id, data }`; where a field sits (in `data` or beside it) is not confirmed by the
 * public docs for every call, so both are read (see `payloadOf`).
 */

const Token = v.pipe(
  v.string('must be a string'),
  v.nonEmpty('must not be empty'),
  // It goes into a header: only visible ASCII, never a CR/LF that could split the request.
  v.regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters'),
);

/** What the answer's fields are read from: its `data` when it has one, else the answer itself. */
export function payloadOf(body: unknown): unknown {
  const data = (body as { data?: unknown } | null)?.data;
  return typeof data === 'object' && data !== null ? data : body;
}

/** `POST /authenticate`: the API token (a JWT, valid 24 h). */
export const AuthenticateAnswerSchema = v.looseObject({ access_token: Token }, 'must be an object');

/** `POST .../otp/verify` and `.../session/refresh`: the taxpayer token and its two clocks. */
export const TaxpayerTokenAnswerSchema = v.looseObject(
  {
    access_token: Token,
    /** Epoch ms: when this taxpayer token expires (6 h). */
    token_expiry: NumericSchema,
    /** Epoch ms: when the portal access duration ends. */
    session_expiry: v.optional(NumericSchema),
  },
  'must be an object',
);
