import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient } from 'redis';
import { redisStore } from '../src/redis/redisStore.js';
import { gstinCheckCharacter } from '../src/schemas/gstin.js';
import { createMockProvider } from '../src/testing/mock/createMockProvider.js';
import { startRedis } from '../test/fleet/redisServer.js';
import { startWorker, type Worker } from '../test/fleet/workers.js';

const BUILT = resolve(import.meta.dirname, '../dist/src/redis/index.js');

/** The i-th of many valid GSTINs (state 27, a PAN-like body numbered i, its check character). */
function gstinOf(i: number): string {
  const first14 = `27AAAPA${String(i).padStart(4, '0')}A1Z`;
  return `${first14}${gstinCheckCharacter(first14)}`;
}
const OTP = '575757';
/** The tokens live 20 minutes: the wave has that long, less nothing, to refresh them all. */
const TOKEN_MINUTES = 20;

/** Options of {@link waveBench}. */
export interface WaveOptions {
  readonly sessions: number;
  readonly workers: number;
  /** The share of provider requests answered 503 during the wave. */
  readonly faultRate: number;
  /** SIGKILL one worker once a tenth of the wave is refreshed (not restarted). */
  readonly killOne: boolean;
  /** The mock answers every request this much later. */
  readonly latencyMs: number;
  /** Whether the provider revokes a token when it refreshes it (the mock's default: yes). */
  readonly revokeOnRefresh?: boolean;
  /** The account's limits every worker is started with. */
  readonly maxInFlight: number;
  readonly ratePerSecond: number;
}

/**
 * The wave the committed figures come from (`npm run bench` and `wave.only.ts`): 4 workers,
 * a provider at +20 ms, 64 in flight at most and 200 a second; `faulty`: 5 % of requests
 * answer 503 and one worker is killed mid-wave.
 */
export function standardWave(sessions: number, faulty: boolean): WaveOptions {
  return {
    sessions,
    workers: 4,
    faultRate: faulty ? 0.05 : 0,
    killOne: faulty,
    latencyMs: 20,
    maxInFlight: 64,
    ratePerSecond: 200,
  };
}

/** What one wave did. */
export interface WaveResult {
  readonly sessions: number;
  /** Sessions whose token was renewed, with no new OTP round. */
  readonly refreshed: number;
  /** OTP requests during the wave: target 0. */
  readonly otps: number;
  /** Sessions not authenticated at the end (expired, failed): target 0. */
  readonly lost: number;
  /** The states the lost sessions ended in. */
  readonly lostStates: Readonly<Record<string, number>>;
  /** Successful refresh requests beyond one per session. */
  readonly extraRefreshes: number;
  readonly refreshRequests: number;
  readonly seconds: number;
  /** The most refresh requests that reached the provider in one second. */
  readonly peakPerSecond: number;
  /** The most requests the provider answered at once. */
  readonly peakInFlight: number;
  readonly maxInFlight: number;
  readonly killed: number;
  readonly unhandled: number;
}

/**
 * A refresh wave: `sessions` authenticated sessions (made through the mock's OTP flow) all
 * due at the same instant in Redis, as after an outage, then `workers` worker processes of
 * the built package start (`start()`: they claim from the shared schedule). Counted from the
 * mock's record of requests and from the records in Redis at the end.
 */
export async function waveBench(options: WaveOptions): Promise<WaveResult> {
  if (!existsSync(BUILT)) throw new Error('build the package first (npm run build)');
  const redis = await startRedis();
  const mock = await createMockProvider({
    face: 'sandbox',
    otpMode: 'sandbox',
    tokenLifetime: TOKEN_MINUTES,
    latencyMs: options.latencyMs,
    revokeOnRefresh: options.revokeOnRefresh ?? true,
  });
  // The setup runs thousands of OTP flows and the mock in this one process: its commands may
  // wait longer than node-redis' own 5 s default in the client's queue.
  const client = createClient({ url: redis.url, commandOptions: { timeout: 120_000 } } as never);
  client.on('error', () => {});
  await client.connect();
  const sealKey = randomBytes(32).toString('base64');
  const prefix = 'wave';
  const store = redisStore({ client, sealKey, prefix, commandTimeoutMs: 10_000 });
  // One taxpayer each: the provider keeps one OTP round per GSTIN at a time.
  const keys = Array.from({ length: options.sessions }, (_, i) => ({
    gstin: gstinOf(i),
    username: 'portal-user',
  }));
  const workers: Worker[] = [];
  let killed = 0;
  try {
    // Arrange: every session authenticated once through the OTP flow, not timed, by worker
    // processes (one process running ten thousand flows beside the mock overloads itself).
    const config = {
      redisUrl: redis.url,
      mockUrl: mock.url,
      sealKey,
      prefix,
      lockTtlMs: 10_000,
      pollIntervalMs: 10_000,
      commandTimeoutMs: 2_000,
      reauth: 'manual' as const,
      refreshLeadMs: 5 * 60_000,
      clockCheckMs: 60_000,
      warmUp: true,
      limits: {
        maxInFlight: options.maxInFlight,
        ratePerSecond: options.ratePerSecond,
        burst: options.maxInFlight,
      },
    };
    const seeders = await Promise.all(
      Array.from({ length: options.workers }, (_, i) =>
        startWorker(`seed${i}`, {
          ...config,
          warmUp: false,
          commandTimeoutMs: 10_000,
          limits: { maxInFlight: 400, ratePerSecond: 100_000, burst: 100_000 },
        }),
      ),
    );
    const seedOne = async (key: { gstin: string; username: string }, i: number) => {
      const seeder = seeders[i % seeders.length] as Worker;
      for (let attempt = 1; ; attempt += 1) {
        await seeder.ask('start', key);
        const until = Date.now() + 30_000;
        while (mock.otpFor(key.gstin) === undefined && Date.now() < until)
          await new Promise((r) => setTimeout(r, 20));
        const answer = await seeder.ask('submitOtp', { ...key, otp: OTP });
        if (answer.ok) return;
        // A failed round (a hiccup under the setup's load) starts again.
        if (attempt >= 5) throw new Error(`cannot seed: ${answer.error.name}`);
      }
    };
    for (let i = 0; i < keys.length; i += 200)
      await Promise.all(keys.slice(i, i + 200).map((key, j) => seedOne(key, i + j)));
    await Promise.all(seeders.map((w) => w.ask('close')));
    await Promise.all(seeders.map((w) => w.kill('SIGKILL')));
    // Everything due at once, as after an outage: each record's refresh time is moved to
    // the past (saved records go on the schedule due at once).
    const before = new Map<string, number>();
    const past = Date.now() - 1_000;
    for (let i = 0; i < keys.length; i += 500)
      await Promise.all(
        keys.slice(i, i + 500).map(async (key) => {
          const record = (await store.load(key)) as {
            token: { refreshAt: number; expiresAt: number };
          };
          record.token.refreshAt = past;
          before.set(key.gstin, record.token.expiresAt);
          await store.save(key, record);
        }),
      );
    const otpsBefore = mock.count('getOtp');
    const firstRequest = mock.requests.length;
    mock.resetPeakInFlight();
    if (options.faultRate > 0)
      mock.setFault('*', { kind: 'status', status: 503, rate: options.faultRate });

    // Act: the workers start after the due time.
    const started = Date.now();
    for (let i = 0; i < options.workers; i += 1) workers.push(await startWorker(`w${i}`, config));
    const okRefreshes = () =>
      mock.requests
        .slice(firstRequest)
        .filter((r) => r.route === 'refreshToken' && r.status === 200).length;
    /** The records in Redis now: renewed, or no longer authenticated (settled either way). */
    const tally = async () => {
      let refreshed = 0;
      const lostStates: Record<string, number> = {};
      for (let i = 0; i < keys.length; i += 500)
        await Promise.all(
          keys.slice(i, i + 500).map(async (key) => {
            const record = (await store.load(key)) as
              | { state: string; token?: { expiresAt: number } }
              | undefined;
            if (record?.state !== 'authenticated') {
              const state = record?.state ?? 'none';
              lostStates[state] = (lostStates[state] ?? 0) + 1;
            } else if ((record.token?.expiresAt ?? 0) > (before.get(key.gstin) ?? 0))
              refreshed += 1;
          }),
        );
      const lost = Object.values(lostStates).reduce((n, c) => n + c, 0);
      return { refreshed, lost, lostStates };
    };
    const deadline = started + (TOKEN_MINUTES - 1) * 60_000;
    let counted = await tally();
    while (Date.now() < deadline) {
      if (options.killOne && killed === 0 && okRefreshes() >= keys.length / 10) {
        await workers[0]?.kill('SIGKILL');
        killed = 1;
      }
      if (okRefreshes() >= keys.length) {
        counted = await tally();
        if (counted.refreshed + counted.lost >= keys.length) break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const done = Date.now();
    const { refreshed, lost, lostStates } = counted;

    const wave = mock.requests.slice(firstRequest).filter((r) => r.route === 'refreshToken');
    const perSecond = new Map<number, number>();
    for (const r of wave)
      perSecond.set(Math.floor(r.at / 1000), (perSecond.get(Math.floor(r.at / 1000)) ?? 0) + 1);
    const refreshRequests = wave.length;
    return {
      sessions: keys.length,
      refreshed,
      otps: mock.count('getOtp') - otpsBefore,
      lost,
      lostStates,
      extraRefreshes: Math.max(0, okRefreshes() - keys.length),
      refreshRequests,
      seconds: (done - started) / 1000,
      peakPerSecond: Math.max(0, ...perSecond.values()),
      peakInFlight: mock.peakInFlight(),
      maxInFlight: options.maxInFlight,
      killed,
      unhandled: workers.reduce((n, w) => n + w.unhandled.length, 0),
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGKILL').catch(() => {})));
    await client.close().catch(() => {});
    await mock.close();
    await redis.stop();
  }
}
