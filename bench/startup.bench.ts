import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { createSessionManager } from '../src/manager/createSessionManager.js';
import { redisStore } from '../src/redis/redisStore.js';
import type { CoordinatedStore } from '../src/stores/SessionCoordinator.js';
import { startRedis } from '../test/fleet/redisServer.js';
import { BENCH_GSTIN, idleProvider, seedAuthenticated } from './fixtures.js';

/** The heap in use after a full collection (the bench runs with --expose-gc). */
function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * A fresh worker over `stored` records in Redis (its own redis-server): the time from
 * `createSessionManager` through `start()` to its first served `credentials()`, and its heap
 * after serving `served` sessions; the same with a store that has no shared schedule (every
 * record read at `start()`, as 0.4 did), measured in the same run.
 */
export async function startupBench(
  stored: number,
  served = 1_000,
): Promise<Record<string, number>> {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  const sealKey = randomBytes(32).toString('base64');
  const now = Date.now();
  try {
    await seedAuthenticated(redisStore({ client, sealKey, prefix: 'start' }), stored, now);
    // Each worker on its own store object, as a new process would be.
    const worker = async (withSchedule: boolean) => {
      const own = redisStore({ client, sealKey, prefix: 'start' });
      const shared: CoordinatedStore = withSchedule
        ? own
        : {
            save: own.save,
            load: own.load,
            delete: own.delete,
            list: own.list,
            coordinator: { ...own.coordinator, schedule: undefined },
          };
      const before = heapUsed();
      const started = process.hrtime.bigint();
      const manager = createSessionManager({ provider: idleProvider, store: shared });
      await manager.start();
      await manager.credentials(BENCH_GSTIN, 'user-7');
      const firstMs = Number(process.hrtime.bigint() - started) / 1e6;
      for (let i = 0; i < served; i += 100)
        await Promise.all(
          Array.from({ length: 100 }, (_, j) => manager.credentials(BENCH_GSTIN, `user-${i + j}`)),
        );
      const heapMiB = (heapUsed() - before) / 2 ** 20;
      await manager.close();
      return { firstMs, heapMiB };
    };
    const scheduled = await worker(true);
    const readAll = await worker(false);
    return {
      stored,
      firstMs: scheduled.firstMs,
      heapMiB: scheduled.heapMiB,
      readAllFirstMs: readAll.firstMs,
      readAllHeapMiB: readAll.heapMiB,
      ratio: scheduled.firstMs / readAll.firstMs,
    };
  } finally {
    await client.close().catch(() => {});
    await redis.stop();
  }
}
