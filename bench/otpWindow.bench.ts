import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createMockProvider } from '../src/testing/mock/createMockProvider.js';
import type { RecordedRequest } from '../src/testing/mock/types.js';
import { createScaledClock } from '../src/testing/time/createScaledClock.js';
import { startRedis } from '../test/fleet/redisServer.js';
import { startWorker, type Worker, type WorkerConfig } from '../test/fleet/workers.js';
import { crashAtRandom } from './crashAtRandom.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** GSTN's auth-token lifetime: the physical limit is one refresh per this long. */
const TOKEN_LIFETIME_MS = 6 * HOUR;
const GSTINS = ['27AAPFU0939F1ZV', '29AAACB2894G1ZJ', '09AAHFC3214F1ZT', '07AABCB4635N1ZI'];
const USERNAME = 'portal-user';
/** The sandbox OTP (`otpMode: 'sandbox'`): what the person reads on the SMS. */
const OTP = '575757';
/**
 * GSTN accepts an OTP for 10 min; compressed, that is under 0.1 s of real time, less than a
 * typed OTP's trip through a worker. The person gets 3 h (1.5 s real at 7 200x).
 */
const OTP_VALIDITY_MS = 3 * HOUR;
const BUILT = resolve(import.meta.dirname, '../dist/src/redis/index.js');

/** Options of {@link otpWindowBench}. */
export interface OtpWindowOptions {
  /** The access duration the taxpayer chose, in days. */
  readonly days: number;
  /** How many times faster provider time runs than real time. */
  readonly factor: number;
  readonly workers: number;
  /** The share of provider requests answered 503. */
  readonly faultRate: number;
  /** The mean real time between two worker crashes (SIGKILL, restarted 200 ms later). */
  readonly crashEveryMs: number;
  /**
   * Restart Redis without persistence once, this far into the window (0 to 1): every record,
   * lock, access token and schedule entry is lost, and the workers must write back what they
   * hold. Default: never.
   */
  readonly redisRestartAt?: number;
}

/** What a run of {@link otpWindowBench} saw. */
export interface OtpWindowResult {
  readonly days: number;
  readonly factor: number;
  readonly realSeconds: number;
  readonly gstins: number;
  readonly workers: number;
  readonly crashes: number;
  readonly providerRequests: number;
  readonly faultsInjected: number;
  /** SMS sent (successful OTP requests) inside each GSTIN's access window: target 1 each. */
  readonly otpsPerGstin: readonly number[];
  /** Successful refreshes per GSTIN per day, the mean over GSTINs. */
  readonly refreshesPerGstinPerDay: number;
  /** The physical limit with 6 h tokens: 4 a day. */
  readonly refreshLimitPerDay: number;
  /** Successful provider logins of the one API account per day (its token lives 24 h). */
  readonly loginsPerDay: number;
  /** Asks for credentials that a running worker failed, of all asked of running workers. */
  readonly credentialsFailed: number;
  readonly credentialsAsked: number;
  readonly unhandledRejections: number;
  /** How many times Redis was restarted without persistence during the run. */
  readonly redisRestarts: number;
}

const ok = (r: RecordedRequest) => r.status >= 200 && r.status < 300;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/**
 * OTPs per access window: worker processes of the built package on one redis-server, the
 * mock's Sandbox face (a refresh-capable provider whose access duration ends the window), a
 * clock that runs `factor` times faster than real time (6 h tokens in seconds), random worker
 * crashes and restarts, and a share of provider requests that fail. A person types the OTP of
 * every SMS into a random worker. Counted from the mock's own record of requests: SMS per
 * GSTIN inside its window, refreshes per GSTIN per day, logins of the API account per day.
 */
export async function otpWindowBench(options: OtpWindowOptions): Promise<OtpWindowResult> {
  if (!existsSync(BUILT)) throw new Error('build the package first (npm run build)');
  const { days, factor } = options;
  const clock = createScaledClock({ factor });
  const { epoch, now } = clock;
  const redis = await startRedis();
  const mock = await createMockProvider({
    face: 'sandbox',
    otpMode: 'sandbox',
    now,
    accessDurationMs: days * DAY,
    otpValidityMs: OTP_VALIDITY_MS,
  });
  // Real-time settings (Redis keeps real time): a lock lives 150 ms, a compressed 18 min at
  // 7 200x, far longer against a token than a real deployment's 30 s against 6 h. The lead
  // before expiry must outlast a crashed holder's lock and the takeover, so it is 1 h here.
  const config: WorkerConfig = {
    redisUrl: redis.url,
    mockUrl: mock.url,
    sealKey: randomBytes(32).toString('base64'),
    prefix: 'otpw',
    lockTtlMs: 150,
    pollIntervalMs: 1_000,
    commandTimeoutMs: 500,
    reauth: 'auto',
    refreshLeadMs: HOUR,
    refreshJitterMs: 5 * 60_000,
    clockCheckMs: 10 * 60_000,
    otpValidityMs: OTP_VALIDITY_MS,
    clockFactor: factor,
    epoch,
    warmUp: true,
  };
  let crashes = 0;
  const crashTimes: number[] = [];
  const deadLogs: string[] = [];
  let unhandled = 0;
  let redisRestarts = 0;
  let asked = 0;
  let failed = 0;
  let stopping = false;
  const workers: (Worker | undefined)[] = [];
  const started = Date.now();
  try {
    for (let i = 0; i < options.workers; i += 1) workers[i] = await startWorker(`w${i}`, config);
    const alive = () => workers.filter((w): w is Worker => w !== undefined);
    mock.setFault('*', { kind: 'status', status: 503, rate: options.faultRate });

    // Every GSTIN asked for once: auto mode starts its round on whichever worker asked.
    for (const gstin of GSTINS)
      void pick(alive()).ask('credentials', { gstin, username: USERNAME, timeoutMs: HOUR });

    // The person: every SMS that reaches the phone is typed into some worker, until accepted.
    const typed = new Map<string, number>();
    const person = setInterval(() => {
      for (const gstin of GSTINS) {
        const sent = mock.requests.filter(
          (r) => r.route === 'getOtp' && r.gstin === gstin && ok(r),
        );
        if (sent.length <= (typed.get(gstin) ?? 0) || mock.otpFor(gstin) === undefined) continue;
        const worker = pick(alive());
        void worker.ask('submitOtp', { gstin, username: USERNAME, otp: OTP }).then((answer) => {
          if (answer.ok) typed.set(gstin, Math.max(typed.get(gstin) ?? 0, sent.length));
        });
      }
    }, 50);

    // The app: credentials asked of random workers all along.
    const app = setInterval(() => {
      const worker = pick(alive());
      const pickedGstin = pick(GSTINS);
      asked += 1;
      void worker
        .ask('credentials', { gstin: pickedGstin, username: USERNAME, timeoutMs: 5 * 60_000 })
        .then((answer) => {
          if (answer.ok) return;
          if (answer.error.name === 'WorkerGone') asked -= 1;
          else failed += 1;
          // An app in auto mode starts a round again after one failed (a provider fault on
          // the OTP request ends the round: no SMS went out, no person is waiting).
          void worker.ask('start', { gstin: pickedGstin, username: USERNAME });
        });
    }, 40);

    // Crashes: a random worker is killed at random times and started again 200 ms later.
    const crasher = crashAtRandom(
      workers,
      config,
      options.crashEveryMs,
      () => stopping,
      (worker) => {
        unhandled += worker.unhandled.length;
        deadLogs.push(...worker.logs);
        crashes += 1;
        crashTimes.push(now());
      },
    );

    // Until the last GSTIN's window is over (windows start at each first token).
    const windowStart = (gstin: string) =>
      mock.requests.find((r) => r.route === 'getAuthToken' && r.gstin === gstin && ok(r))?.at;
    for (let tick = 0; ; tick += 1) {
      await new Promise((r) => setTimeout(r, 100));
      const restartAt = options.redisRestartAt;
      if (
        restartAt !== undefined &&
        redisRestarts === 0 &&
        now() >= epoch + restartAt * days * DAY
      ) {
        // No persistence: the store comes back empty under workers that hold live sessions.
        redisRestarts += 1;
        await redis.restart();
      }
      if (process.env.GSTR_BENCH_DEBUG && tick % 20 === 0) {
        const by = new Map<string, number>();
        for (const r of mock.requests)
          by.set(`${r.route} ${r.status}`, (by.get(`${r.route} ${r.status}`) ?? 0) + 1);
        console.error(
          ((now() - epoch) / DAY).toFixed(2),
          'days',
          JSON.stringify([...by]),
          alive().map((w) => w.logs.slice(-2)),
        );
      }
      const starts = GSTINS.map(windowStart);
      if (starts.every((s) => s !== undefined && now() >= s + days * DAY)) break;
    }
    stopping = true;
    clearInterval(person);
    clearInterval(app);
    await crasher;

    const inWindow = (gstin: string, route: RecordedRequest['route']) => {
      const start = windowStart(gstin) ?? 0;
      return mock.requests.filter(
        (r) => r.route === route && r.gstin === gstin && ok(r) && r.at < start + days * DAY,
      ).length;
    };
    const refreshes = GSTINS.map((g) => inWindow(g, 'refreshToken'));
    // Every login of the run up to the end of the first window, the one before it included.
    const firstStart = Math.min(...GSTINS.map((g) => windowStart(g) ?? 0));
    const logins = mock.requests.filter(
      (r) => r.route === 'login' && ok(r) && r.at < firstStart + days * DAY,
    ).length;
    for (const worker of alive()) unhandled += worker.unhandled.length;
    if (process.env.GSTR_BENCH_DEBUG) {
      const h = (at: number) => ((at - epoch) / HOUR).toFixed(2);
      for (const gstin of GSTINS) {
        const mine = mock.requests.filter((r) => r.gstin === gstin);
        mine.forEach((r, i) => {
          if (
            r.route !== 'getOtp' ||
            !ok(r) ||
            i === mine.findIndex((x) => x.route === 'getOtp' && ok(x))
          )
            return;
          console.error(`\n${gstin} extra OTP at ${h(r.at)} h; before it:`);
          for (const p of mine.slice(Math.max(0, i - 6), i + 1))
            console.error(`  ${h(p.at)} ${p.route} ${p.status}`);
          console.error(
            `  crashes near: ${crashTimes
              .filter((c) => Math.abs(c - r.at) < 8 * HOUR)
              .map(h)
              .join(' ')}`,
          );
        });
      }
      console.error(
        '\nlogs:',
        [...deadLogs, ...alive().flatMap((w) => w.logs)]
          .filter((l) => !l.includes('injected fault'))
          .slice(-40)
          .join('\n'),
      );
    }
    return {
      days,
      factor,
      realSeconds: (Date.now() - started) / 1000,
      gstins: GSTINS.length,
      workers: options.workers,
      crashes,
      providerRequests: mock.requests.length,
      faultsInjected: mock.requests.filter((r) => r.status === 503).length,
      otpsPerGstin: GSTINS.map((g) => {
        // The OTP that opened the window counts: it was sent just before the window's start.
        const start = windowStart(g) ?? 0;
        return mock.requests.filter(
          (r) => r.route === 'getOtp' && r.gstin === g && ok(r) && r.at < start + days * DAY,
        ).length;
      }),
      refreshesPerGstinPerDay: refreshes.reduce((a, b) => a + b, 0) / GSTINS.length / days,
      refreshLimitPerDay: DAY / TOKEN_LIFETIME_MS,
      loginsPerDay: logins / days,
      credentialsFailed: failed,
      credentialsAsked: asked,
      unhandledRejections: unhandled,
      redisRestarts,
    };
  } finally {
    stopping = true;
    await Promise.all(workers.map((w) => w?.kill('SIGKILL')));
    await mock.close();
    await redis.stop();
  }
}
