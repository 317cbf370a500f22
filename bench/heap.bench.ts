/**
 * Child process: `node --expose-gc --import tsx bench/heap.bench.ts <mode> <count>` prints the
 * heap bytes retained per session. Modes: `baseline` (a plain object and one setTimeout per
 * session), `dormant` (the manager's idle authenticated sessions), `live` (one live XState
 * actor per authenticated session, through createGstrSession).
 */
import { createSessionManager } from '../src/manager/createSessionManager.js';
import { createGstrSession } from '../src/session/createGstrSession.js';
import type { GstrSession } from '../src/session/types.js';
import {
  authenticatedRecord,
  BENCH_GSTIN,
  generatedStore,
  idleProvider,
  plainRecord,
} from './fixtures.js';

const [mode = 'baseline', countText = '10000'] = process.argv.slice(2);
const count = Number(countText);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function heap(): number {
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

const now = Date.now();
const keep: unknown[] = [];
const before = heap();

if (mode === 'baseline') {
  for (let i = 0; i < count; i++) {
    const record = plainRecord(i, now);
    const timer = setTimeout(() => {}, 6 * 3_600_000).unref();
    keep.push({ record, timer });
  }
} else if (mode === 'dormant') {
  const manager = createSessionManager({
    provider: idleProvider,
    store: generatedStore(count, now),
  });
  await manager.start();
  keep.push(manager);
} else if (mode === 'live') {
  const sessions: GstrSession[] = [];
  for (let i = 0; i < count; i++) {
    const session = createGstrSession({
      provider: idleProvider,
      gstin: BENCH_GSTIN,
      username: `user-${i}`,
      snapshot: authenticatedRecord(i, now),
    });
    session.start();
    sessions.push(session);
  }
  keep.push(sessions);
} else {
  throw new Error(`unknown mode ${mode}`);
}

const after = heap();
process.stdout.write(
  `${JSON.stringify({ mode, count, bytesPerSession: (after - before) / count, kept: keep.length })}\n`,
);
process.exit(0);
