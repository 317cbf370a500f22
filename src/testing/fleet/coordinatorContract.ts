import type { CoordinatedStore, SharedChange } from '../../stores/SessionCoordinator.js';
import type { SessionKey } from '../../stores/SessionStore.js';
import { check } from './contractCheck.js';

/** How a test framework names and runs one test (`it` of vitest, jest, node:test). */
export type ContractTest = (name: string, test: () => Promise<void>) => void;

/** Waits for `condition`, polling, for up to `ms` of real time. */
async function until(condition: () => boolean, ms: number, rule: string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    check(Date.now() < end, rule);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let keys = 0;
/** A key of its own per test: stores shared between tests stay apart. */
const keyOf = (): SessionKey => ({
  gstin: '27AAPFU0939F1ZV',
  username: `contract-${process.pid}-${Date.now().toString(36)}-${++keys}`,
});

/**
 * The rules a shared store's coordinator keeps, as tests: register them with your framework's
 * `it` and a factory of the store under test, and a store on another engine (Postgres,
 * DynamoDB) proves it keeps what the manager relies on: versioned fenced commits, locks only
 * their owner extends or frees, change messages, removals that keep their version, write-back
 * only where nothing is stored, one login per account, and (when it has one) the shared
 * schedule. `redisStore` and `memoryFleetStore` run it in this project's own suite.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { coordinatorContract } from 'gstr-session/testing';
 * describe('my postgres store', () => coordinatorContract(it, () => postgresStore(pool)));
 * ```
 */
export function coordinatorContract(
  it: ContractTest,
  make: () => Promise<CoordinatedStore> | CoordinatedStore,
): void {
  it('commits only over the version read, never while another owner holds the lock, and frees the owner’s lock', async () => {
    const { coordinator: c } = await make();
    const key = keyOf();
    check((await c.read(key)).version === 0, 'a new key reads as version 0');
    check((await c.commit(key, { n: 1 }, 0, undefined)) === 1, 'a first commit makes version 1');
    check(
      (await c.commit(key, { n: 'stale' }, 0, undefined)) === undefined,
      'a stale commit is refused',
    );
    const owner = await c.lock(key, 5_000);
    check(owner !== undefined, 'a free lock is taken');
    check((await c.lock(key, 5_000)) === undefined, 'a held lock is not taken twice');
    check(await c.isLocked(key), 'a held lock is seen');
    check(
      (await c.commit(key, { n: 'other' }, 1, undefined)) === undefined,
      'no commit over another’s lock',
    );
    check((await c.commit(key, { n: 2 }, 1, owner)) === 2, 'the owner commits');
    check(!(await c.isLocked(key)), 'the owner’s commit frees its lock');
    const read = await c.read(key);
    check(
      read.version === 2 && JSON.stringify(read.record) === '{"n":2}',
      'the commit is read back',
      read,
    );
  });

  it('extends and frees a lock only for its owner', async () => {
    const { coordinator: c } = await make();
    const key = keyOf();
    const owner = (await c.lock(key, 5_000)) as string;
    check(!(await c.extend(key, 'someone-else', 5_000)), 'another cannot extend it');
    await c.release(key, 'someone-else');
    check(await c.isLocked(key), 'another cannot free it');
    check(await c.extend(key, owner, 5_000), 'the owner extends it');
    await c.release(key, owner);
    check(!(await c.isLocked(key)), 'the owner frees it');
    check(!(await c.extend(key, owner, 5_000)), 'a freed lock cannot be extended');
  });

  it('lets a lock lapse after its lifetime, so that another worker takes over', async () => {
    const { coordinator: c } = await make();
    const key = keyOf();
    await c.lock(key, 150);
    const end = Date.now() + 5_000;
    let taken: string | undefined;
    while (!taken && Date.now() < end) {
      taken = await c.lock(key, 5_000);
      if (!taken) await new Promise((r) => setTimeout(r, 25));
    }
    check(taken !== undefined, 'a lapsed lock is taken again');
  });

  it('announces every commit and removal to every watcher, and says when it is listening', async () => {
    const { coordinator: c, delete: remove } = await make();
    const key = keyOf();
    const heard: SharedChange[][] = [[], []];
    let ready = 0;
    const stops = await Promise.all(
      heard.map((list) =>
        c.watch(
          (change) => list.push(change),
          () => {
            ready += 1;
          },
        ),
      ),
    );
    try {
      check(ready === 2, 'each watcher is told it listens', ready);
      await c.commit(key, { n: 1 }, 0, undefined);
      await remove(key);
      const sid = c.sidOf(key);
      await until(
        () => heard.every((list) => list.filter((h) => h.sid === sid).length === 2),
        5_000,
        'every watcher hears the commit and the removal',
      );
      for (const list of heard)
        check(
          JSON.stringify(list.filter((h) => h.sid === sid).map((h) => h.version)) === '[1,2]',
          'in order, with their versions',
          list,
        );
    } finally {
      for (const stop of stops) await stop();
    }
  });

  it('keeps a removal’s version, so that a worker that read the record cannot commit over it', async () => {
    const store = await make();
    const { coordinator: c } = store;
    const key = keyOf();
    await c.commit(key, { n: 1 }, 0, undefined);
    await store.delete(key);
    const read = await c.read(key);
    check(read.record === undefined && read.version === 2, 'removed: no record, version 2', read);
    check(
      (await c.commit(key, { n: 'late' }, 1, undefined)) === undefined,
      'the late commit is refused',
    );
  });

  it('writes a record back only where nothing is stored, not over a removal', async () => {
    const store = await make();
    const { coordinator: c } = store;
    if (!c.writeBack) return;
    const key = keyOf();
    check((await c.writeBack(key, { n: 8 }, 8)) === 8, 'written back where nothing is');
    check((await c.read(key)).version === 8, 'at the version given');
    check((await c.writeBack(key, { n: 9 }, 9)) === undefined, 'not over a record');
    const removed = keyOf();
    await c.commit(removed, { n: 1 }, 0, undefined);
    await store.delete(removed);
    check((await c.writeBack(removed, { n: 5 }, 5)) === undefined, 'not over a removal');
  });

  it('keeps one login per account: its lock, its token until it expires, and a refusal of that token only', async () => {
    const { coordinator: c } = await make();
    const account = keyOf().username;
    const owner = await c.lockAccess(account, 5_000);
    check(
      owner !== undefined && (await c.lockAccess(account, 5_000)) === undefined,
      'one login at a time',
    );
    await c.commitAccess(account, owner as string, { accessToken: 'token-1' }, Date.now() + 60_000);
    check(
      JSON.stringify(await c.readAccess(account)) === '{"accessToken":"token-1"}',
      'the token is shared',
    );
    check((await c.lockAccess(account, 5_000)) !== undefined, 'the commit freed the login lock');
    await c.dropAccess(account, 'token-0');
    check((await c.readAccess(account)) !== undefined, 'a refusal of another token leaves it');
    await c.dropAccess(account, 'token-1');
    check((await c.readAccess(account)) === undefined, 'a refusal of it drops it');
  });

  it('hands out each due session to one claimer, for its lease, and none that is not due', async () => {
    const store = await make();
    const schedule = store.coordinator.schedule;
    if (!schedule) return;
    const [due, later] = [keyOf(), keyOf()];
    for (const key of [due, later]) await store.coordinator.commit(key, { n: 1 }, 0, undefined);
    const now = Date.now();
    await schedule.plan(due, now - 1_000);
    await schedule.plan(later, now + 3_600_000);
    const mine = (keys: SessionKey[]) =>
      keys.filter((k) => [due.username, later.username].includes(k.username));
    const first = mine(await schedule.claim(now, 10_000, 60_000));
    check(first.length === 1 && first[0]?.username === due.username, 'only the due one', first);
    check(
      mine(await schedule.claim(now, 10_000, 60_000)).length === 0,
      'claimed: not twice within its lease',
    );
    check(
      mine(await schedule.claim(now + 61_000, 10_000, 60_000)).length === 1,
      'due again after the lease',
    );
    await schedule.plan(due, undefined);
    check(
      mine(await schedule.claim(now + 3_600_001, 10_000, 60_000)).length === 1,
      'taken off: only the later one',
    );
  });
}
