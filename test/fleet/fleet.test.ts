import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import type { MockProvider } from '../../src/testing/mock/types.js';
import { GSTIN, OTHER_GSTIN, USERNAME } from '../helpers/fixtures.js';
import { runRedis, startRedis, type TestRedis } from './redisServer.js';
import { type Answer, eventually, startWorker, type Worker, type WorkerConfig } from './workers.js';

const OTP = '575757';
const THIRD_GSTIN = '29AAACB2894G1ZJ';
const BUILT = resolve(import.meta.dirname, '../../dist/src/redis/index.js');

let redis: TestRedis;
let mock: MockProvider;
let workers: Worker[] = [];
let prefixes = 0;

/** A fresh key space per test, so that tests of one file share the server but nothing else. */
function baseConfig(extra: Partial<WorkerConfig> = {}): WorkerConfig {
  prefixes += 1;
  return {
    redisUrl: redis.url,
    mockUrl: mock.url,
    sealKey: randomBytes(32).toString('base64'),
    prefix: `t${prefixes}`,
    lockTtlMs: 1_500,
    pollIntervalMs: 1_000,
    ...extra,
  };
}

async function fleetOf(n: number, config: WorkerConfig): Promise<Worker[]> {
  const started = await Promise.all(
    Array.from({ length: n }, (_, i) => startWorker(`w${i}`, config)),
  );
  workers.push(...started);
  return started;
}

/** The i-th worker (present by construction). */
const at = (fleet: readonly Worker[], i: number): Worker => fleet[i] as Worker;

const value = (answer: Answer) => {
  if (!answer.ok) throw new Error(`${answer.error.name}: ${answer.error.message}`);
  return answer.value as { token: string; expiresAt: number };
};
const key = { gstin: GSTIN, username: USERNAME };
const eventsOf = (type: string, gstin = GSTIN) =>
  workers.flatMap((w) => w.events).filter((e) => e.type === type && e.gstin === gstin);

/** What a failed wait prints: the mock's requests, the workers' events and logs. */
function trace(): string {
  const t0 = mock.requests[0]?.at ?? 0;
  const requests = mock.requests
    .map((r) => `  ${r.at - t0} ${r.route} ${r.gstin ?? ''} ${r.status}`)
    .join('\n');
  const events = workers.flatMap((w) => w.events.map((e) => `${e.worker}:${e.type}`)).join(' ');
  const logs = workers.flatMap((w) => w.logs.map((line) => `  ${line}`)).join('\n');
  return `requests (ms, route, gstin, status):\n${requests}\nevents: ${events}\nlogs:\n${logs}`;
}

/** `eventually`, explained by the trace when it fails. */
const until = (condition: () => boolean, ms?: number) => eventually(condition, ms, trace);

/** The version of the one session record under `prefix` (read with redis-cli). */
function versionOf(prefix: string): number {
  const [recordKey] = redis.cli(['--scan', '--pattern', `${prefix}:*:record`]).split('\n');
  return Number(redis.cli(['HGET', recordKey ?? '', 'v']));
}

/**
 * The tokens the workers hand out once they agree (a refresh may land between two asks, so
 * they are asked together, again, until a round sees one token or a second has passed).
 */
async function agreed(fleet: readonly Worker[]): Promise<Set<string>> {
  let tokens = new Set<string>();
  for (let round = 0; round < 40; round += 1) {
    const answers = await Promise.all(fleet.map((w) => w.ask('credentials', key)));
    tokens = new Set(answers.map((a) => value(a).token));
    if (tokens.size === 1) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return tokens;
}

describe.skipIf(!runRedis)('the manager on Redis, across worker processes', () => {
  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error('build the package first (npm run build)');
    redis = await startRedis();
  }, 30_000);
  beforeEach(async () => {
    mock = await createMockProvider({
      face: 'sandbox',
      otpMode: 'sandbox',
      tokenLifetime: 6,
      tokenLifetimeUnit: 'seconds',
    });
  });
  afterEach(async () => {
    redis.resume();
    for (const worker of workers) expect(worker.unhandled, worker.name).toEqual([]);
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    workers = [];
    await mock.close();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('rule 1: N workers asking at once cause one OTP round; the OTP typed on any worker completes it', async () => {
    const fleet = await fleetOf(4, baseConfig({ refreshLeadMs: 1_000 }));
    const asked = fleet.map((w) => w.ask('credentials', key));
    await until(() => mock.count('getOtp') === 1);
    await until(() => eventsOf('otp.required').length === 1);
    // Typed on a worker that never asked for it.
    const typed = value(await at(fleet, 3).ask('submitOtp', { ...key, otp: OTP }));
    const answers = (await Promise.all(asked)).map(value);
    expect(new Set(answers.map((a) => a.token))).toEqual(new Set([typed.token]));
    expect(mock.count('getOtp')).toBe(1);
    expect(mock.count('getAuthToken')).toBe(1);
    expect(eventsOf('otp.required')).toHaveLength(1);
    expect(eventsOf('session.authenticated')).toHaveLength(1);
  }, 40_000);

  it('rule 2 and 7: one refresh per token window across the fleet, seen by every worker', async () => {
    // A 6 s token refreshed 2.5 s before its expiry: three windows in about 11 s.
    const fleet = await fleetOf(3, baseConfig({ refreshLeadMs: 2_500 }));
    const first = at(fleet, 0).ask('credentials', key);
    await until(() => mock.count('getOtp') === 1);
    value(await at(fleet, 1).ask('submitOtp', { ...key, otp: OTP }));
    const token0 = value(await first).token;
    for (const w of fleet) value(await w.ask('credentials', key));
    await until(() => mock.count('refreshToken') >= 3, 25_000);
    // Each refresh happened once: its window had ended on every worker before the next.
    const refreshes = mock.requests.filter((r) => r.route === 'refreshToken').map((r) => r.at);
    for (let i = 1; i < refreshes.length; i += 1)
      expect((refreshes[i] ?? 0) - (refreshes[i - 1] ?? 0)).toBeGreaterThan(1_500);
    // Every worker hands out the newest token (one pub/sub hop after the commit).
    const tokens = await agreed(fleet);
    expect(tokens.size).toBe(1);
    expect(tokens.has(token0)).toBe(false);
    expect(mock.count('getOtp')).toBe(1);
  }, 40_000);

  it('rule 3: one provider login per API account across the fleet and its sessions', async () => {
    const fleet = await fleetOf(3, baseConfig());
    const asked = [GSTIN, OTHER_GSTIN].flatMap((gstin) =>
      fleet.map((w) => w.ask('credentials', { gstin, username: USERNAME })),
    );
    await until(() => mock.count('getOtp') === 2);
    await at(fleet, 0).ask('submitOtp', { ...key, otp: OTP });
    await at(fleet, 1).ask('submitOtp', { gstin: OTHER_GSTIN, username: USERNAME, otp: OTP });
    (await Promise.all(asked)).map(value);
    expect(mock.count('login')).toBe(1);
  }, 40_000);

  it('rule 4: a worker paused past its lock cannot write over a newer token; versions only grow', async () => {
    // The refresh is due 4.5 s before the 6 s token ends. A takes its share of the fleet's
    // schedule (start()) and claims it; B only serves what it is asked for, and wakes the
    // session it holds itself when nobody has refreshed it a little after its time (a quarter
    // of the time left at most: enough, on a busy machine, to take A's lapsed lock and refresh).
    const config = baseConfig({ refreshLeadMs: 4_500 });
    const a = await startWorker('a', { ...config, warmUp: true });
    const b = await startWorker('b', { ...config, refreshLeadMs: 2_000 });
    workers.push(a, b);
    const asked = a.ask('credentials', key);
    await until(() => mock.count('getOtp') === 1);
    value(await a.ask('submitOtp', { ...key, otp: OTP }));
    const first = value(await asked);
    value(await b.ask('credentials', key));
    const before = versionOf(config.prefix);
    // A's refresh is held at the provider for longer than its lock lives, and A is paused
    // while it holds the lock: B takes over when its own refresh is due.
    mock.setFault('refreshToken', { kind: 'delay', ms: 4_000, times: 1 });
    await until(() => mock.count('refreshToken') === 1, 10_000);
    a.child.kill('SIGSTOP');
    await until(() => mock.count('refreshToken') === 2, 15_000);
    const newer = value(await b.ask('credentials', key));
    expect(newer.token).not.toBe(first.token);
    a.child.kill('SIGCONT');
    // A's late answer never lands: both end on B's token, with no new OTP round.
    const tokens = await agreed([a, b]);
    expect([...tokens]).toEqual([newer.token]);
    expect(versionOf(config.prefix)).toBeGreaterThan(before);
    expect(mock.count('getOtp')).toBe(1);
  }, 40_000);

  it('rule 5: SIGKILL of the lock holder mid-round loses nothing and sends no second SMS', async () => {
    const config = baseConfig();
    const [a, b] = (await fleetOf(2, config)) as [Worker, Worker];
    void a.ask('credentials', key);
    await until(() => mock.count('getOtp') === 1);
    // A holds the lock in the middle of the OTP exchange when it is killed.
    mock.setFault('getAuthToken', { kind: 'hang', times: 1 });
    void a.ask('submitOtp', { ...key, otp: OTP });
    await until(() => mock.count('getAuthToken') === 1);
    await a.kill('SIGKILL');
    // The person types the OTP again on B: B takes over once A's lock has lapsed, in the same
    // round (the challenge was committed before the SMS could be typed).
    const done = value(await b.ask('submitOtp', { ...key, otp: OTP }));
    expect(mock.count('getOtp')).toBe(1);
    // A worker started after the crash reads the token from Redis, with no request at all.
    const requests = mock.requests.length;
    const [c] = (await fleetOf(1, config)) as [Worker];
    expect(value(await c.ask('credentials', key)).token).toBe(done.token);
    expect(mock.requests.length).toBe(requests);
  }, 40_000);

  it('rule 6: with Redis down, held tokens are served, new work fails fast and typed, and all resumes', async () => {
    const fleet = await fleetOf(2, baseConfig());
    const [a] = fleet as [Worker];
    const asked = a.ask('credentials', key);
    await until(() => mock.count('getOtp') === 1);
    value(await a.ask('submitOtp', { ...key, otp: OTP }));
    const held = value(await asked);
    await redis.stop();
    try {
      expect(value(await a.ask('credentials', key)).token).toBe(held.token);
      const started = Date.now();
      const fresh = await a.ask('credentials', { gstin: OTHER_GSTIN, username: USERNAME });
      expect(fresh.ok).toBe(false);
      if (!fresh.ok) expect(fresh.error.name).toBe('StoreUnavailableError');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(mock.count('getOtp')).toBe(1);
    } finally {
      await redis.restart();
    }
    // Paused (SIGSTOP) rather than stopped: commands time out instead of hanging.
    redis.pause();
    try {
      const started = Date.now();
      const stalled = await a.ask('credentials', { gstin: THIRD_GSTIN, username: USERNAME });
      expect(stalled.ok ? 'ok' : stalled.error.name).toBe('StoreUnavailableError');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      redis.resume();
    }
    // Back (the client reconnects by itself): the new session starts its round. The restarted
    // server is empty, so this is a new round; the held session is written again by its worker.
    const other = { gstin: OTHER_GSTIN, username: USERNAME };
    let answer: Answer = { ok: false, error: { name: 'StoreUnavailableError', message: '' } };
    for (
      let i = 0;
      i < 200 && !answer.ok && answer.error.name === 'StoreUnavailableError';
      i += 1
    ) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await a.ask('credentials', { ...other, timeoutMs: 100 });
    }
    expect(answer.ok ? 'ok' : answer.error.name).toBe('TimeoutError'); // waiting for the OTP
    expect(mock.count('getOtp')).toBe(2);
    const done = a.ask('credentials', other);
    value(await a.ask('submitOtp', { ...other, otp: OTP }));
    value(await done);
    expect(value(await a.ask('credentials', key)).token).toBe(held.token);
  }, 60_000);

  it('rule 7: a removal reaches every worker', async () => {
    const fleet = await fleetOf(2, baseConfig({ reauth: 'manual' }));
    const [a, b] = fleet as [Worker, Worker];
    await a.ask('start', key);
    await until(() => mock.count('getOtp') === 1);
    value(await b.ask('submitOtp', { ...key, otp: OTP }));
    expect((await agreed([a, b])).size).toBe(1);
    await b.ask('remove', key);
    // A learns of it within a message: its credentials are no longer handed out.
    let last: Answer | undefined;
    for (let i = 0; i < 80; i += 1) {
      last = await a.ask('credentials', key);
      if (!last.ok) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(last?.ok).toBe(false);
    if (last && !last.ok) expect(last.error.name).toBe('ReauthenticationRequiredError');
  }, 40_000);
});
