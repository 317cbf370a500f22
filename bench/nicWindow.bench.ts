import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createMockProvider } from '../src/testing/mock/createMockProvider.js';
import { MOCK_NIC_ACCOUNT } from '../src/testing/mock/nicFace.js';
import type { RecordedRequest } from '../src/testing/mock/types.js';
import { createScaledClock } from '../src/testing/time/createScaledClock.js';
import { startRedis } from '../test/fleet/redisServer.js';
import { startWorker, type Worker, type WorkerConfig } from '../test/fleet/workers.js';
import { crashAtRandom } from './crashAtRandom.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** NIC's token lifetime: the limit is one login per this long. */
const TOKEN_LIFETIME_MS = 6 * HOUR;
/** E-way bill's auth limit: 5 logins per 15 minutes per user. */
const AUTH_WINDOW_MS = 15 * 60_000;
const GSTIN = '27AAPFU0939F1ZV';
const USERNAME = 'ewb-api-user';
const BUILT = resolve(import.meta.dirname, '../dist/src/node/index.js');

/** Options of {@link nicWindowBench}. */
export interface NicWindowOptions {
  readonly days: number;
  /** How many times faster provider time runs than real time. */
  readonly factor: number;
  readonly workers: number;
  /** The share of provider requests answered 503. */
  readonly faultRate: number;
  /** The mean real time between two worker crashes (SIGKILL, restarted 200 ms later). */
  readonly crashEveryMs: number;
}

/** What a run of {@link nicWindowBench} saw. */
export interface NicWindowResult {
  readonly days: number;
  readonly factor: number;
  readonly realSeconds: number;
  readonly workers: number;
  readonly crashes: number;
  readonly providerRequests: number;
  readonly faultsInjected: number;
  /** Successful logins of the one credential, per 6-hour token window from the first: target 1. */
  readonly loginsPerWindow: number;
  /** The token windows from the first login to the end, and the logins in them. */
  readonly windows: number;
  readonly logins: number;
  /** The most successful logins in any 15 minutes (NIC allows 5). */
  readonly maxLoginsIn15Minutes: number;
  /** Logins NIC refused for its auth limit (118): target 0. */
  readonly refusedByAuthLimit: number;
  /** Reads answered 238 (a stale token), each costing one login and one replay. */
  readonly staleTokenReads: number;
  readonly readsAsked: number;
  readonly readsFailed: number;
  readonly unhandledRejections: number;
}

/** Answered with success (NIC refuses with HTTP 200 and a code: not that). */
const ok = (r: RecordedRequest) => r.status >= 200 && r.status < 300 && r.code === undefined;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/**
 * Logins per token window of one e-way bill credential held by a fleet: worker processes of
 * the built package on one redis-server, the mock's e-way bill face (real crypto, the same
 * token for 360 minutes, 5 logins per 15 minutes), a clock `factor` times faster than real
 * time, reads asked of random workers all along, random SIGKILLs and 503s. Counted from the
 * mock's own record of requests.
 */
export async function nicWindowBench(options: NicWindowOptions): Promise<NicWindowResult> {
  if (!existsSync(BUILT)) throw new Error('build the package first (npm run build)');
  const { days, factor } = options;
  const clock = createScaledClock({ factor });
  const { epoch, now } = clock;
  const redis = await startRedis();
  const mock = await createMockProvider({ face: 'ewaybill', now });
  const config: WorkerConfig = {
    redisUrl: redis.url,
    mockUrl: mock.url,
    sealKey: randomBytes(32).toString('base64'),
    prefix: 'nicw',
    lockTtlMs: 150,
    pollIntervalMs: 1_000,
    commandTimeoutMs: 500,
    reauth: 'manual',
    clockCheckMs: 10 * 60_000,
    clockFactor: factor,
    epoch,
    warmUp: true,
    nic: {
      clientId: MOCK_NIC_ACCOUNT.clientId,
      clientSecret: MOCK_NIC_ACCOUNT.clientSecret,
      publicKey: mock.publicKey(),
      password: MOCK_NIC_ACCOUNT.password,
      tokenLifetimeMs: TOKEN_LIFETIME_MS,
    },
  };
  let crashes = 0;
  const crashTimes: number[] = [];
  let unhandled = 0;
  let readsAsked = 0;
  let readsFailed = 0;
  let stopping = false;
  const workers: (Worker | undefined)[] = [];
  const started = Date.now();
  try {
    for (let i = 0; i < options.workers; i += 1) workers[i] = await startWorker(`w${i}`, config);
    const alive = () => workers.filter((w): w is Worker => w !== undefined);
    mock.setFault('*', { kind: 'status', status: 503, rate: options.faultRate });

    // The app: an e-way bill read asked of a random worker every 40 ms (a manager in its
    // default manual mode: a password session needs no person, so it logs in by itself).
    const app = setInterval(() => {
      readsAsked += 1;
      void pick(alive())
        .ask('call', { gstin: GSTIN, username: USERNAME })
        .then((answer) => {
          if (answer.ok) return;
          if (answer.error.name === 'WorkerGone') readsAsked -= 1;
          else readsFailed += 1;
        });
    }, 40);

    const crasher = crashAtRandom(
      workers,
      config,
      options.crashEveryMs,
      () => stopping,
      (worker) => {
        unhandled += worker.unhandled.length;
        crashes += 1;
        crashTimes.push(now());
      },
    );

    while (now() < epoch + days * DAY) await new Promise((r) => setTimeout(r, 100));
    stopping = true;
    clearInterval(app);
    await crasher;
    for (const worker of alive()) unhandled += worker.unhandled.length;

    // Up to the end of the run (the crash loop winds down after it, while tokens renew).
    const end = epoch + days * DAY;
    const logins = mock.requests.filter((r) => r.route === 'authenticate' && ok(r) && r.at < end);
    const refused = mock.requests.filter(
      (r) => r.route === 'authenticate' && r.code === '118' && r.at < end,
    );
    if (process.env.GSTR_BENCH_DEBUG)
      console.error(
        'logins at (h):',
        logins.map((l) => ((l.at - epoch) / HOUR).toFixed(3)).join(' '),
        '\ncrashes at (h):',
        crashTimes.map((t) => ((t - epoch) / HOUR).toFixed(3)).join(' '),
      );
    let maxIn15 = 0;
    for (const [i, login] of logins.entries()) {
      const within = logins.slice(i).filter((l) => l.at - login.at < AUTH_WINDOW_MS).length;
      maxIn15 = Math.max(maxIn15, within);
    }
    return {
      days,
      factor,
      realSeconds: (Date.now() - started) / 1000,
      workers: options.workers,
      crashes,
      providerRequests: mock.requests.length,
      faultsInjected: mock.requests.filter((r) => r.status === 503).length,
      // From the first login (the workers start a few compressed hours into the run).
      loginsPerWindow:
        logins.length /
        Math.max(1, (epoch + days * DAY - (logins[0]?.at ?? epoch)) / TOKEN_LIFETIME_MS),
      windows: Math.ceil((epoch + days * DAY - (logins[0]?.at ?? epoch)) / TOKEN_LIFETIME_MS),
      logins: logins.length,
      maxLoginsIn15Minutes: maxIn15,
      refusedByAuthLimit: refused.length,
      staleTokenReads: mock.requests.filter((r) => r.route === 'call' && r.code === '238').length,
      readsAsked,
      readsFailed,
      unhandledRejections: unhandled,
    };
  } finally {
    stopping = true;
    await Promise.all(workers.map((w) => w?.kill('SIGKILL')));
    await mock.close();
    await redis.stop();
  }
}
