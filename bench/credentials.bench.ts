import { createSessionManager } from '../src/manager/createSessionManager.js';
import { createGstrSession } from '../src/session/createGstrSession.js';
import {
  authenticatedRecord,
  BENCH_GSTIN,
  generatedStore,
  idleProvider,
  nsPerCall,
} from './fixtures.js';

/**
 * Nanoseconds per `credentials()` of an authenticated session: the manager's (dormant, and
 * held live), and a bare live session's, against a `Map` lookup awaited the same way.
 */
export async function credentialsBench(calls = 500_000): Promise<Record<string, number>> {
  const now = Date.now();
  const manager = createSessionManager({
    provider: idleProvider,
    store: generatedStore(1_000, now),
  });
  await manager.start();
  // The same session held live inside a manager (no dormancy): served from its machine.
  const keepsLive = createSessionManager({
    provider: idleProvider,
    store: generatedStore(1_000, now),
    dormant: false,
  });
  await keepsLive.start();
  keepsLive.get(BENCH_GSTIN, 'user-7').start();
  const live = createGstrSession({
    provider: idleProvider,
    gstin: BENCH_GSTIN,
    username: 'user-7',
    snapshot: authenticatedRecord(7, now),
  });
  live.start();
  const map = new Map<string, unknown>([
    [`${BENCH_GSTIN}\u0000user-7`, authenticatedRecord(7, now)],
  ]);

  const mapNs = await nsPerCall(calls, () => map.get(`${BENCH_GSTIN}\u0000user-7`));
  const managerNs = await nsPerCall(calls, () => manager.credentials(BENCH_GSTIN, 'user-7'));
  const managedLiveNs = await nsPerCall(calls, () => keepsLive.credentials(BENCH_GSTIN, 'user-7'));
  const liveNs = await nsPerCall(calls / 10, () => live.credentials());
  live.stop();
  await Promise.all([manager.close(), keepsLive.close()]);
  return {
    mapNs,
    managerNs,
    managedLiveNs,
    liveNs,
    managerRatio: managerNs / mapNs,
    managedLiveRatio: managedLiveNs / mapNs,
    liveRatio: liveNs / mapNs,
  };
}
