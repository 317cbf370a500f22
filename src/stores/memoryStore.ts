import type { SessionKey, SessionStore } from './SessionStore.js';

/**
 * A store in memory (tests, single-process apps that accept losing sessions on restart).
 * Records are copied in and out, as a real store would serialise them.
 */
export function memoryStore(): SessionStore & { readonly size: number } {
  const records = new Map<string, { key: SessionKey; json: string }>();
  const id = (key: SessionKey) => `${key.gstin}\u0000${key.username}`;
  return {
    get size() {
      return records.size;
    },
    save: async (key, record) => {
      records.set(id(key), {
        key: { gstin: key.gstin, username: key.username },
        json: JSON.stringify(record),
      });
    },
    load: async (key) => {
      const found = records.get(id(key));
      return found ? JSON.parse(found.json) : undefined;
    },
    delete: async (key) => {
      records.delete(id(key));
    },
    list: async () => [...records.values()].map((r) => r.key),
  };
}
