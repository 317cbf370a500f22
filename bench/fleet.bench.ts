import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { createSessionManager } from '../src/manager/createSessionManager.js';
import { redisStore } from '../src/redis/redisStore.js';
import { memoryStore } from '../src/stores/memoryStore.js';
import { startRedis } from '../test/fleet/redisServer.js';
import {
  authenticatedRecord,
  BENCH_GSTIN,
  idleProvider,
  median,
  nsPerCall,
  seedAuthenticated,
} from './fixtures.js';

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
};

/**
 * The manager on a real redis-server (its own, on a free port) against its baselines in the
 * same run: `credentials()` of an authenticated session against the in-memory manager; the
 * first `credentials()` of an unloaded key (read-through) with few and many stored sessions
 * against one raw GET; and convergence, from one worker's commit until another worker hands
 * out the new token, against a raw PUBLISH round trip.
 */
export async function fleetBench(calls = 200_000, rounds = 200): Promise<Record<string, number>> {
  const redis = await startRedis();
  const clients = [createClient({ url: redis.url }), createClient({ url: redis.url })];
  for (const client of clients) {
    client.on('error', () => {});
    await client.connect();
  }
  const [a, b] = clients as [(typeof clients)[0], (typeof clients)[0]];
  const sealKey = randomBytes(32).toString('base64');
  const now = Date.now();
  try {
    // Hot path: an authenticated session held in the worker's memory.
    const storeA = redisStore({ client: a, sealKey, prefix: 'bench' });
    const key = { gstin: BENCH_GSTIN, username: 'user-7' };
    await storeA.save(key, authenticatedRecord(7, now));
    const onRedis = createSessionManager({ provider: idleProvider, store: storeA });
    await onRedis.credentials(BENCH_GSTIN, 'user-7');
    const inMemory = memoryStore();
    await inMemory.save(key, authenticatedRecord(7, now));
    const memory = createSessionManager({ provider: idleProvider, store: inMemory });
    await memory.credentials(BENCH_GSTIN, 'user-7');
    const memoryNs = await nsPerCall(calls, () => memory.credentials(BENCH_GSTIN, 'user-7'));
    const redisNs = await nsPerCall(calls, () => onRedis.credentials(BENCH_GSTIN, 'user-7'));
    await memory.close();

    // Read-through: the first credentials() of a key this worker never loaded, with 10 and
    // with 10 000 sessions stored (no start(): it must not depend on how many there are).
    const readThrough = async (stored: number, prefix: string) => {
      const store = redisStore({ client: a, sealKey, prefix });
      await seedAuthenticated(store, stored, now);
      // Each key is read once per manager (a second read is served from memory): a manager
      // subscribes with a read of user-0 first (not timed), then reads user-1, user-2, ...;
      // with few stored, a new manager takes over once it has read them all.
      const times: number[] = [];
      let manager: ReturnType<typeof createSessionManager> | undefined;
      let next = stored;
      for (let i = 0; i < rounds; i += 1) {
        if (next >= stored) {
          await manager?.close();
          manager = createSessionManager({ provider: idleProvider, store });
          await manager.credentials(BENCH_GSTIN, 'user-0');
          next = 1;
        }
        const started = process.hrtime.bigint();
        await manager?.credentials(BENCH_GSTIN, `user-${next}`);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        next += 1;
      }
      await manager?.close();
      return median(times);
    };
    const readThroughFewMs = await readThrough(10, 'few');
    const readThroughManyMs = await readThrough(10_000, 'many');
    const getTimes: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const started = process.hrtime.bigint();
      await a.sendCommand(['GET', `raw-${i}`]);
      getTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }

    // Convergence: worker A commits a new token; how long until worker B hands it out.
    const storeB = redisStore({ client: b, sealKey, prefix: 'bench' });
    const workerB = createSessionManager({ provider: idleProvider, store: storeB });
    await workerB.credentials(BENCH_GSTIN, 'user-7');
    const converge: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const next = { ...authenticatedRecord(1_000 + i, now), username: 'user-7' };
      const started = process.hrtime.bigint();
      await storeA.save(key, next);
      for (;;) {
        const { authToken } = await workerB.credentials(BENCH_GSTIN, 'user-7');
        if (authToken === next.token?.authToken) break;
        await new Promise((r) => setImmediate(r));
      }
      converge.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    await workerB.close();
    await onRedis.close();
    const sub = a.duplicate();
    sub.on('error', () => {});
    await sub.connect();
    let heard: (() => void) | undefined;
    await sub.subscribe('bench-raw', () => heard?.());
    const publish: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const started = process.hrtime.bigint();
      await new Promise<void>((resolve) => {
        heard = resolve;
        void b.sendCommand(['PUBLISH', 'bench-raw', 'x']);
      });
      publish.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    await sub.close();
    return {
      memoryNs,
      redisNs,
      hotRatio: redisNs / memoryNs,
      readThroughFewMs,
      readThroughManyMs,
      rawGetMs: median(getTimes),
      readThroughRatio: readThroughManyMs / median(getTimes),
      convergeMedianMs: median(converge),
      convergeP99Ms: percentile(converge, 0.99),
      publishMedianMs: median(publish),
      publishP99Ms: percentile(publish, 0.99),
    };
  } finally {
    for (const client of clients) await client.close().catch(() => {});
    await redis.stop();
  }
}
