import * as v from 'valibot';
import { methodsSchema } from '../schemas/options.js';
import { parseOptions } from '../schemas/parse.js';
import { keyName, type SessionStore } from './SessionStore.js';
import { seal, sealKeyBytes, sessionBinding, unseal } from './seal.js';

const StoreSchema = methodsSchema<SessionStore>(
  ['save', 'load', 'delete', 'list'],
  'must be a SessionStore (save, load, delete, list)',
);

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
  const secret = sealKeyBytes(key, 'encryptedStore');
  return {
    save: (sessionKey, record) =>
      inner.save(sessionKey, seal(secret, sessionBinding(sessionKey), record)),
    async load(sessionKey) {
      const stored = await inner.load(sessionKey);
      if (stored === undefined) return undefined;
      return unseal(secret, sessionBinding(sessionKey), stored, keyName(sessionKey));
    },
    delete: (sessionKey) => inner.delete(sessionKey),
    list: () => inner.list(),
    // The keys are the inner store's: it pages them as it can.
    ...(inner.listPage
      ? {
          listPage: (cursor, count) =>
            (inner.listPage as NonNullable<SessionStore['listPage']>).call(inner, cursor, count),
        }
      : {}),
  };
}
