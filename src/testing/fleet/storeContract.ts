import type { SessionKey, SessionStore } from '../../stores/SessionStore.js';
import { check } from './contractCheck.js';
import type { ContractTest } from './coordinatorContract.js';

let keys = 0;
const keyOf = (): SessionKey => ({
  gstin: '29AAACB2894G1ZJ',
  username: `store-contract-${process.pid}-${Date.now().toString(36)}-${++keys}`,
});

/**
 * The rules every `SessionStore` keeps, as tests: register them with your framework's `it`
 * and a factory of the store under test (an empty one, or one whose other records the tests
 * leave alone). This project runs it on `memoryStore`, `fileStore`, `encryptedStore` and
 * `redisStore`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { storeContract } from 'gstr-session/testing';
 * describe('my SQL store', () => storeContract(it, () => sqlStore(pool)));
 * ```
 */
export function storeContract(
  it: ContractTest,
  make: () => Promise<SessionStore> | SessionStore,
): void {
  it('gives back what it saved, as a copy, and undefined for a key it never saw', async () => {
    const store = await make();
    const key = keyOf();
    check((await store.load(key)) === undefined, 'nothing saved: undefined');
    const record = {
      state: 'authenticated',
      token: { authToken: 't', expiresAt: 1 },
      list: [1, 2],
    };
    await store.save(key, record);
    record.list.push(3);
    check(
      JSON.stringify(await store.load(key)) ===
        '{"state":"authenticated","token":{"authToken":"t","expiresAt":1},"list":[1,2]}',
      'the saved record, not the caller’s object changed after',
      await store.load(key),
    );
  });

  it('replaces a record whole', async () => {
    const store = await make();
    const key = keyOf();
    await store.save(key, { a: 1, b: 2 });
    await store.save(key, { c: 3 });
    check(
      JSON.stringify(await store.load(key)) === '{"c":3}',
      'only the newer record',
      await store.load(key),
    );
  });

  it('lists the keys with a record, and not a deleted one; deleting twice is no error', async () => {
    const store = await make();
    const [kept, gone] = [keyOf(), keyOf()];
    await store.save(kept, { n: 1 });
    await store.save(gone, { n: 2 });
    await store.delete(gone);
    await store.delete(gone);
    const names = (await store.list()).map((k) => `${k.gstin}/${k.username}`);
    check(names.includes(`${kept.gstin}/${kept.username}`), 'a saved key is listed', names.length);
    check(!names.includes(`${gone.gstin}/${gone.username}`), 'a deleted key is not', names.length);
    check((await store.load(gone)) === undefined, 'a deleted record loads as undefined');
  });

  it('keeps sessions of one GSTIN with two usernames apart', async () => {
    const store = await make();
    const first = keyOf();
    const second = { gstin: first.gstin, username: `${first.username}-other` };
    await store.save(first, { who: 1 });
    await store.save(second, { who: 2 });
    check(JSON.stringify(await store.load(first)) === '{"who":1}', 'the first is its own');
    check(JSON.stringify(await store.load(second)) === '{"who":2}', 'the second is its own');
  });

  it('saves concurrently without losing a key', async () => {
    const store = await make();
    const many = Array.from({ length: 20 }, () => keyOf());
    await Promise.all(many.map((key, i) => store.save(key, { i })));
    const loaded = await Promise.all(many.map((key) => store.load(key)));
    check(
      loaded.every((record, i) => JSON.stringify(record) === JSON.stringify({ i })),
      'every record is there, its own',
    );
  });
}
