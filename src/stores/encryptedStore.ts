import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { StoreError } from '../errors/StoreError.js';
import { methodsSchema } from '../schemas/options.js';
import { parseOptions } from '../schemas/parse.js';
import { keyName, type SessionKey, type SessionStore } from './SessionStore.js';

const Envelope = v.object({
  alg: v.literal('A256GCM'),
  iv: v.string(),
  tag: v.string(),
  data: v.string(),
});

const IV_BYTES = 12;
/** GCM's full tag: a shorter one would cut tamper protection down to its length. */
const TAG_BYTES = 16;

const KeySchema = v.union(
  [
    v.pipe(
      v.string(),
      // Standard or URL-safe base64, padded or not: what 0.1.0 accepted for 32 bytes.
      v.regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes or their base64'),
    ),
    v.pipe(
      v.instance(Uint8Array),
      v.check((bytes) => bytes.length === 32, 'must be 32 bytes or their base64'),
    ),
  ],
  'must be 32 bytes or their base64',
);

function keyBytes(key: Uint8Array | string): Buffer {
  const checked = parseOptions(v.object({ key: KeySchema }), { key }, 'encryptedStore').key;
  return typeof checked === 'string' ? Buffer.from(checked, 'base64') : Buffer.from(checked);
}

const StoreSchema = methodsSchema<SessionStore>(
  ['save', 'load', 'delete', 'list'],
  'must be a SessionStore (save, load, delete, list)',
);

/** The additional data that binds a record to its key: a record moved to another key fails. */
function aad(key: SessionKey): Buffer {
  return Buffer.from(`gstr-session/1\u0000${key.gstin}\u0000${key.username}`, 'utf8');
}

/**
 * Wraps a store so that records are encrypted at rest with AES-256-GCM (node:crypto), a
 * fresh 96-bit IV per write, and the session's key as additional data. A wrong key, a
 * tampered record or a record copied to another session's key is a `StoreError`, never
 * garbage.
 *
 * @example
 * ```ts
 * const store = encryptedStore(fileStore('/var/lib/myapp/gstr'), process.env.GSTR_STORE_KEY!); // 32 bytes, base64
 * ```
 */
export function encryptedStore(inner: SessionStore, key: Uint8Array | string): SessionStore {
  parseOptions(v.object({ store: StoreSchema }), { store: inner }, 'encryptedStore');
  const secret = keyBytes(key);
  return {
    async save(sessionKey, record) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      cipher.setAAD(aad(sessionKey));
      const data = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
      await inner.save(sessionKey, {
        alg: 'A256GCM',
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      });
    },
    async load(sessionKey) {
      const stored = await inner.load(sessionKey);
      if (stored === undefined) return undefined;
      const envelope = v.safeParse(Envelope, stored);
      if (!envelope.success)
        throw new StoreError(keyName(sessionKey), 'the record is not encrypted by this store');
      const iv = Buffer.from(envelope.output.iv, 'base64');
      const tag = Buffer.from(envelope.output.tag, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
        throw new StoreError(
          keyName(sessionKey),
          'the record was tampered with (IV or tag length)',
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(aad(sessionKey));
        decipher.setAuthTag(tag);
        const plain = Buffer.concat([
          decipher.update(Buffer.from(envelope.output.data, 'base64')),
          decipher.final(),
        ]);
        return JSON.parse(plain.toString('utf8'));
      } catch (error) {
        throw new StoreError(
          keyName(sessionKey),
          'cannot decrypt: wrong key, or the record was tampered with',
          error,
        );
      }
    },
    delete: (sessionKey) => inner.delete(sessionKey),
    list: () => inner.list(),
  };
}
