import { randomBytes } from 'node:crypto';
import type { GstrProvider } from '../src/providers/GstrProvider.js';
import type { PersistedGstrSession } from '../src/session/persistence.js';
import type { SessionKey, SessionStore } from '../src/stores/SessionStore.js';

/** A valid GSTIN for index `i` is not needed: sessions are keyed by username here. */
export const BENCH_GSTIN = '27AAPFU0939F1ZV';

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** An authenticated session as `persist()` writes it, with fresh random tokens of real sizes. */
export function authenticatedRecord(i: number, now: number): PersistedGstrSession {
  return {
    version: 2,
    provider: 'idle',
    state: 'authenticated',
    savedAt: now,
    gstin: BENCH_GSTIN,
    username: `user-${i}`,
    access: {
      accessToken: hex(32),
      expiresAt: now + 14 * 86_400_000,
      details: { patronId: 'patron-1' },
    },
    otpReason: 'initial',
    otpRequestedAt: now - 60_000,
    otpAttempts: 0,
    otpResends: 0,
    token: {
      authToken: hex(16),
      expiresAt: now + 6 * 3_600_000,
      secrets: {
        sek: randomBytes(32).toString('base64'),
        appKey: randomBytes(32).toString('base64'),
      },
    },
    expiringNotified: false,
    refreshFailed: false,
    refreshFailures: 0,
  };
}

/** The same data as a plain object, as an app would keep it by hand. */
export function plainRecord(i: number, now: number): Record<string, unknown> {
  return {
    gstin: BENCH_GSTIN,
    username: `user-${i}`,
    accessToken: hex(32),
    patronId: 'patron-1',
    appKey: randomBytes(32).toString('base64'),
    authToken: hex(16),
    sek: randomBytes(32).toString('base64'),
    expiresAt: now + 6 * 3_600_000,
  };
}

/**
 * A store that makes its keys and records on demand and keeps none, so a heap figure is the
 * manager's alone (until 0.4 it kept its list of keys, about 80 bytes a session more).
 */
export function generatedStore(count: number, now: number): SessionStore {
  return {
    list: async (): Promise<SessionKey[]> =>
      Array.from({ length: count }, (_, i) => ({ gstin: BENCH_GSTIN, username: `user-${i}` })),
    load: async (key) => authenticatedRecord(Number(key.username.slice(5)), now),
    save: async () => {},
    delete: async () => {},
  };
}

/** A provider that is never called (restored authenticated sessions need none). */
export const idleProvider: GstrProvider = {
  name: 'idle',
  capabilities: { login: true, refresh: false, logout: false, accessDuration: false, reads: false },
  login: () => Promise.reject(new Error('not in this benchmark')),
  requestOtp: () => Promise.reject(new Error('not in this benchmark')),
  getAuthToken: () => Promise.reject(new Error('not in this benchmark')),
};

/** The median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Nanoseconds per awaited call, after a warm-up of 10 000 calls. */
export async function nsPerCall(calls: number, call: () => unknown): Promise<number> {
  for (let i = 0; i < 10_000; i++) await call();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - start) / calls;
}

/** Saves `count` authenticated records (`user-0` ...) into `store`, 500 at a time. */
export async function seedAuthenticated(
  store: SessionStore,
  count: number,
  now: number,
): Promise<void> {
  for (let i = 0; i < count; i += 500)
    await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, (_, j) =>
        store.save(
          { gstin: BENCH_GSTIN, username: `user-${i + j}` },
          authenticatedRecord(i + j, now),
        ),
      ),
    );
}

/**
 * The median time in ms of each way, run `warmup` times each first, then `rounds` times
 * interleaved, so that drift on a noisy machine hits every way alike.
 */
export async function interleavedMedians<K extends string>(
  ways: Record<K, () => Promise<unknown>>,
  rounds: number,
  warmup: number,
): Promise<Record<K, number>> {
  const entries = Object.entries(ways) as [K, () => Promise<unknown>][];
  for (let i = 0; i < warmup; i++) for (const [, way] of entries) await way();
  const times = new Map<K, number[]>(entries.map(([name]) => [name, []]));
  for (let i = 0; i < rounds; i++)
    for (const [name, way] of entries) {
      const start = performance.now();
      await way();
      times.get(name)?.push(performance.now() - start);
    }
  return Object.fromEntries(
    entries.map(([name]) => [name, median(times.get(name) ?? [])]),
  ) as Record<K, number>;
}
