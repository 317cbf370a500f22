import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { StoreError } from '../errors/StoreError.js';
import { parseOptions } from '../schemas/parse.js';

/** A sealed value: AES-256-GCM ciphertext with its IV and tag, as stored. */
export interface SealedEnvelope {
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

const EnvelopeSchema = v.object({
  alg: v.literal('A256GCM'),
  iv: v.string(),
  tag: v.string(),
  data: v.string(),
});

const IV_BYTES = 12;
/** GCM's full tag: a shorter one would cut tamper protection down to its length. */
const TAG_BYTES = 16;

/**
 * What a bad store key is told: a text of 32 characters is not a key of 32 bytes, and the
 * message says how to make one.
 */
const SEAL_KEY_PROBLEM =
  'must be a Uint8Array of 32 random bytes, or their base64 (44 characters, e.g. the output of `openssl rand -base64 32`); a 32-character text is not 32 bytes of key';

/** A store key: 32 bytes, or their base64 (standard or URL-safe, padded or not). */
export const SealKeySchema = v.union(
  [
    v.pipe(
      v.string(SEAL_KEY_PROBLEM),
      // What 0.1.0 accepted for 32 bytes.
      v.regex(/^[A-Za-z0-9+/_-]{43}=?$/, SEAL_KEY_PROBLEM),
    ),
    v.pipe(
      v.instance(Uint8Array, SEAL_KEY_PROBLEM),
      v.check((bytes) => bytes.length === 32, SEAL_KEY_PROBLEM),
    ),
  ],
  SEAL_KEY_PROBLEM,
);

/** The 32 key bytes of a checked key; `where` names the option in the error. */
export function sealKeyBytes(key: Uint8Array | string, where: string, field = 'key'): Buffer {
  const checked = parseOptions(v.object({ [field]: SealKeySchema }), { [field]: key }, where)[
    field
  ] as string | Uint8Array;
  return typeof checked === 'string' ? Buffer.from(checked, 'base64') : Buffer.from(checked);
}

/**
 * Seals a JSON value with AES-256-GCM, a fresh 96-bit IV, and `binding` as additional data:
 * the value opens only under the same key and binding (a record copied to another session's
 * key does not).
 */
export function seal(secret: Buffer, binding: string, value: unknown): SealedEnvelope {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/**
 * Opens what {@link seal} made. Anything else, a wrong key, a changed byte or another binding
 * is a `StoreError` naming `name` (never garbage, never a secret).
 */
export function unseal(secret: Buffer, binding: string, stored: unknown, name: string): unknown {
  const envelope = v.safeParse(EnvelopeSchema, stored);
  if (!envelope.success) throw new StoreError(name, 'the record is not encrypted by this store');
  const iv = Buffer.from(envelope.output.iv, 'base64');
  const tag = Buffer.from(envelope.output.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new StoreError(name, 'the record was tampered with (IV or tag length)');
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(Buffer.from(envelope.output.data, 'base64')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } catch (error) {
    throw new StoreError(name, 'cannot decrypt: wrong key, or the record was tampered with', error);
  }
}

/** The additional data that binds a session's record to its key (the format of 0.1.0). */
export function sessionBinding(key: { readonly gstin: string; readonly username: string }): string {
  return `gstr-session/1\u0000${key.gstin}\u0000${key.username}`;
}

/**
 * The additional data that binds a shared record to its key and to the version it is stored
 * at (0.5.0): an older sealed value written over a newer one no longer opens (a rollback is
 * refused as tampered), where a record bound only to its key would still open.
 */
export function versionBinding(
  key: { readonly gstin: string; readonly username: string },
  version: number,
): string {
  return `${sessionBinding(key)}\u0000v${version}`;
}
