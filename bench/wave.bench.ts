import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient } from 'redis';
import { createSessionManager } from '../src/manager/createSessionManager.js';
import { sandboxProvider } from '../src/providers/sandbox/SandboxClient.js';
import { redisStore } from '../src/redis/redisStore.js';
import { createMockProvider } from '../src/testing/mock/createMockProvider.js';
import { MOCK_SANDBOX_ACCOUNT } from '../src/testing/mock/sandboxFace.js';
import { startRedis } from '../test/fleet/redisServer.js';
import { startWorker, type Worker } from '../test/fleet/workers.js';

const BUILT = resolve(import.meta.dirname, '../dist/src/redis/index.js');
const GSTINS = ['27AAPFU0939F1ZV', '29AAACB2894G1ZJ', '09AAHFC3214F1ZT', '07AABCB4635N1ZI'];
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
  /** The account's limits every worker is started with. */
  readonly maxInFlight: number;
  readonly ratePerSecond: number;
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
  });
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  const sealKey = randomBytes(32).toString('base64');
  const prefix = 'wave';
  const store = redisStore({ client, sealKey, prefix });
  const keys = Array.from({ length: options.sessions }, (_, i) => ({
    gstin: GSTINS[i % GSTINS.length] as string,
    username: `user-${i}`,
  }));
  const workers: Worker[] = [];
  let killed = 0;
  try {
    // Arrange: every session authenticated once through the OTP flow, not timed.
    const seeding = createSessionManager({
      provider: sandboxProvider({ ...MOCK_SANDBOX_ACCOUNT, baseUrl: mock.url }),
      store,
      limits: { maxInFlight: 400, ratePerSecond: 100_000, burst: 100_000 },
    });
    for (let i = 0; i < keys.length; i += 400)
      await Promise.all(
        keys.slice(i, i + 400).map(async ({ gstin, username }) => {
          seeding.get(gstin, username).start();
          await seeding.get(gstin, username).once('otp.required', { timeoutMs: 60_000 });
          await seeding.submitOtp(gstin, username, OTP);
        }),
      );
    await seeding.close();
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
          before.set(key.username, record.token.expiresAt);
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
    for (let i = 0; i < options.workers; i += 1) workers.push(await startWorker(`w${i}`, config));
    const okRefreshes = () =>
      mock.requests
        .slice(firstRequest)
        .filter((r) => r.route === 'refreshToken' && r.status === 200).length;
    const deadline = started + (TOKEN_MINUTES - 1) * 60_000;
    let done = 0;
    while (Date.now() < deadline) {
      const refreshes = okRefreshes();
      if (options.killOne && killed === 0 && refreshes >= keys.length / 10) {
        await workers[0]?.kill('SIGKILL');
        killed = 1;
      }
      if (refreshes >= keys.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    done = Date.now();

    // Assert (counted): every record renewed, none lost, no OTP.
    let refreshed = 0;
    let lost = 0;
    for (let i = 0; i < keys.length; i += 500)
      await Promise.all(
        keys.slice(i, i + 500).map(async (key) => {
          const record = (await store.load(key)) as
            | { state: string; token?: { expiresAt: number } }
            | undefined;
          if (record?.state !== 'authenticated') lost += 1;
          else if ((record.token?.expiresAt ?? 0) > (before.get(key.username) ?? 0)) refreshed += 1;
        }),
      );
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
