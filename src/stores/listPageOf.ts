import { type KeyPage, keyName, type SessionKey, type SessionStore } from './SessionStore.js';

/**
 * One page of `store`'s keys: its own `listPage` where it has one, else a page of `list()` in
 * key order after the last key of the previous page (the cursor: a key added or removed
 * meanwhile neither repeats nor skips another).
 */
export async function listPageOf(
  store: SessionStore,
  cursor: string | undefined,
  count: number,
): Promise<KeyPage> {
  if (store.listPage) return store.listPage(cursor, count);
  const byName = (a: SessionKey, b: SessionKey) => (keyName(a) < keyName(b) ? -1 : 1);
  const keys = (await store.list()).sort(byName);
  const after = cursor === undefined ? keys : keys.filter((key) => keyName(key) > cursor);
  const page = after.slice(0, count);
  const last = page.at(-1);
  return { keys: page, cursor: after.length > count && last ? keyName(last) : undefined };
}
