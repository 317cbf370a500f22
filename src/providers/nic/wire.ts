import * as v from 'valibot';

/*
 * NIC's auth answers (refusals, with a status of 0, are read before these by `nicErrorIn`).
 */

const Required = v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'));
const Token = v.pipe(Required, v.regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters'));

/** E-invoice v1.04: `{ Status: 1, Data: { AuthToken, Sek, TokenExpiry } }`. */
export const EinvoiceAuthAnswerSchema = v.looseObject(
  {
    Status: v.union([v.literal(1), v.literal('1')], 'must be 1'),
    Data: v.looseObject(
      {
        AuthToken: Token,
        /** The SEK, AES-256-ECB under the app key, base64. */
        Sek: Required,
        /** `yyyy-MM-dd HH:mm:ss`, India time. */
        TokenExpiry: v.optional(
          v.pipe(
            v.string('must be a string'),
            v.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be yyyy-MM-dd HH:mm:ss'),
          ),
        ),
      },
      'must be an object',
    ),
  },
  'must be an object',
);

/** E-way bill v1.03: `{ status: 1, authtoken, sek }` (no expiry: 360 minutes). */
export const EwaybillAuthAnswerSchema = v.looseObject(
  {
    status: v.union([v.literal(1), v.literal('1')], 'must be 1'),
    authtoken: Token,
    sek: Required,
  },
  'must be an object',
);

/**
 * E-invoice data answers: `{ Status: 1, Data }`, `Data` AES-256-ECB under the SEK; or, where
 * NIC (or a GSP) sends them, `Rek` (a key under the SEK) and `Hmac`, `Data` then under the REK.
 */
export const EinvoiceDataAnswerSchema = v.looseObject(
  {
    Status: v.union([v.literal(1), v.literal('1')], 'must be 1'),
    Data: Required,
    Rek: v.optional(Required),
    Hmac: v.optional(Required),
  },
  'must be an object',
);
