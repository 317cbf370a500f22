import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionManager } from '../src/manager/createSessionManager.js';
import { fileStore } from '../src/stores/fileStore.js';
import { authenticatedRecord, BENCH_GSTIN, idleProvider } from './fixtures.js';

/**
 * Sessions per second restored from `fileStore` into a running manager, against the floor:
 * reading and parsing the same files with plain `fs` (no validation, no manager).
 */
export async function restoreBench(
  count: number,
): Promise<{ count: number; sessionsPerSecond: number; rawPerSecond: number; ratio: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'gstr-bench-'));
  try {
    const store = fileStore(dir);
    const now = Date.now();
    for (let i = 0; i < count; i += 64) {
      await Promise.all(
        Array.from({ length: Math.min(64, count - i) }, (_, j) =>
          store.save(
            { gstin: BENCH_GSTIN, username: `user-${i + j}` },
            authenticatedRecord(i + j, now),
          ),
        ),
      );
    }
    const rawStart = performance.now();
    const names = await readdir(dir);
    for (let i = 0; i < names.length; i += 64) {
      await Promise.all(
        names
          .slice(i, i + 64)
          .map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8'))),
      );
    }
    const rawSeconds = (performance.now() - rawStart) / 1000;

    const start = performance.now();
    const manager = createSessionManager({ provider: idleProvider, store: fileStore(dir) });
    const report = await manager.start();
    const seconds = (performance.now() - start) / 1000;
    if (report.restored !== count) throw new Error(`restored ${report.restored} of ${count}`);
    await manager.close();
    return {
      count,
      sessionsPerSecond: count / seconds,
      rawPerSecond: count / rawSeconds,
      ratio: rawSeconds > 0 ? seconds / rawSeconds : 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
