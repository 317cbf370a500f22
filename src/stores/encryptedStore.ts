import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { StoreError } from '../errors/StoreError.js';
import { keyName, type SessionKey, type SessionStore } from './SessionStore.js';

const Envelope = v.object({
  alg: v.literal('A256GCM'),
  iv: v.string(),
  tag: v.string(),
  data: v.string(),
});

function keyBytes(key: Uint8Array | string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key);
  if (bytes.length !== 32)
    throw new StoreError('(all)', 'the encryption key must be 32 bytes (or their base64)');
  return bytes;
}

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
  const secret = keyBytes(key);
  return {
    async save(sessionKey, record) {
      const iv = randomBytes(12);
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
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          secret,
          Buffer.from(envelope.output.iv, 'base64'),
        );
        decipher.setAAD(aad(sessionKey));
        decipher.setAuthTag(Buffer.from(envelope.output.tag, 'base64'));
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
