import { randomBytes } from 'node:crypto';
import { Redis as Redis6 } from 'ioredis';
import Redis4 from 'ioredis4';
import { Redis as Redis5 } from 'ioredis5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../../src/redis/index.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';
import {
  expectFailsFastWhilePaused,
  expectSealsListsAndFences,
  expectWatchSurvivesRestart,
  sandboxManager,
} from './inProcess.js';
import { runRedis, startRedis, type TestRedis } from './redisServer.js';
import { eventually } from './workers.js';

/** The ioredis lines the peer range names, each with the same tests. */
const VERSIONS: readonly (readonly [string, RedisClass])[] = [
  ['ioredis 6', Redis6],
  ['ioredis 5', Redis5 as unknown as RedisClass],
  ['ioredis 4', Redis4],
];

/** What the tests use of an ioredis client class: its constructor, as ioredis 6 declares it. */
type RedisClass = typeof Redis6;
type Redis = Redis6;

let redis: TestRedis;
const clients: Redis[] = [];
let prefixes = 0;
const key = { gstin: GSTIN, username: USERNAME };

/** A connected ioredis client that reconnects quickly (the server is restarted on purpose). */
async function connectWith(Client: RedisClass): Promise<Redis> {
  const client = new Client(redis.url, { lazyConnect: true, retryStrategy: () => 50 });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

function store(client: Redis, sealKey = randomBytes(32).toString('base64'), prefix?: string) {
  prefixes += 1;
  return redisStore({
    client,
    sealKey,
    prefix: prefix ?? `io${prefixes}`,
    lockTtlMs: 1_000,
    commandTimeoutMs: 300,
  });
}

/**
 * The same store on ioredis (an optional peer, next to node-redis): everything it does goes
 * through one adapter, so these tests go over the adapter's every path with ioredis.
 */
describe.skipIf(!runRedis).each(VERSIONS)('redisStore on %s', (_, Client) => {
  const connect = () => connectWith(Client);
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });

  it('seals, lists, fences commits and compares locks as on node-redis', async () => {
    const s = store(await connect());
    await expectSealsListsAndFences(redis, s, key);
    await s.delete(key);
    expect(await s.list()).toEqual([]);
  });

  it('announces commits to a watcher, and says when its subscription is back after a restart', async () => {
    const client = await connect();
    const { coordinator } = store(client);
    await expectWatchSurvivesRestart(redis, coordinator, key, () => client.status === 'ready');
  }, 30_000);

  it('refuses a client created with keyPrefix (SCAN would not see its records), before any command', async () => {
    const prefixed = new Client(redis.url, { lazyConnect: true, keyPrefix: 'app:' });
    try {
      expect(() => store(prefixed)).toThrow(/keyPrefix.*prefix option/);
      expect(redis.cli(['--scan', '--pattern', 'app:*'])).toBe('');
    } finally {
      prefixed.disconnect();
    }
  });

  it('fails fast with StoreUnavailableError while the server is paused, then works again', async () => {
    await expectFailsFastWhilePaused(redis, store(await connect()), key);
  });

  it('runs one OTP round for two managers: the OTP typed on either completes it for both', async () => {
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    const sealKey = randomBytes(32).toString('base64');
    const prefix = `io-managers-${prefixes}`;
    const managers = await Promise.all(
      [0, 1].map(async () =>
        sandboxManager(mock.url, store(await connect(), sealKey, prefix), { reauth: 'auto' }),
      ),
    );
    const [a, b] = managers as [(typeof managers)[0], (typeof managers)[0]];
    try {
      const asked = [a.credentials(GSTIN, USERNAME), b.credentials(GSTIN, USERNAME)];
      await eventually(() => mock.count('getOtp') === 1, 10_000);
      const typed = await b.submitOtp(GSTIN, USERNAME, '575757');
      const tokens = (await Promise.all(asked)).map((c) => c.authToken);
      expect(tokens).toEqual([typed.authToken, typed.authToken]);
      expect(mock.count('getOtp')).toBe(1);
      expect(mock.count('getAuthToken')).toBe(1);
      expect(mock.count('login')).toBe(1);
    } finally {
      await Promise.all(managers.map((m) => m.close()));
      await mock.close();
    }
  }, 30_000);
});
