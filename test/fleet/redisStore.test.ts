import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionManager, signzyProvider } from '../../src/index.js';
import { copySessions, redisStore } from '../../src/redis/index.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT } from '../../src/testing/mock/types.js';
import { createScaledClock } from '../../src/testing/time/createScaledClock.js';
import { GSTIN, OTHER_GSTIN, USERNAME, VALID_GSTINS } from '../helpers/fixtures.js';
import { expectFailsFastWhilePaused, sandboxManager } from './inProcess.js';
import { runRedis, startRedis, type TestRedis } from './redisServer.js';
import { eventually } from './workers.js';

let redis: TestRedis;
let client: RedisClientType;
let stores = 0;
const key = { gstin: GSTIN, username: USERNAME };
const FIXTURE = new URL('../fixtures/persisted-v1-authenticated.json', import.meta.url);

const REDIS_V1 = new URL('../fixtures/redis-v1-record.json', import.meta.url);

function store(extra: { sealKey?: string; prefix?: string; pollIntervalMs?: number } = {}) {
  stores += 1;
  return redisStore({
    client,
    sealKey: extra.sealKey ?? randomBytes(32).toString('base64'),
    prefix: extra.prefix ?? `u${stores}`,
    lockTtlMs: 1_000,
    commandTimeoutMs: 300,
    ...(extra.pollIntervalMs ? { pollIntervalMs: extra.pollIntervalMs } : {}),
  });
}

/** The Redis record of 0.4.0 (test/fixtures/README.md), written into this test's Redis. */
async function writeRedisV1(prefix: string) {
  const fixture = JSON.parse(readFileSync(REDIS_V1, 'utf8')) as {
    sealKey: string;
    prefix: string;
    recordKey: string;
    hash: Record<string, string>;
    keycheck: string;
    key: { gstin: string; username: string };
  };
  const recordKey = fixture.recordKey.replace(`${fixture.prefix}:`, `${prefix}:`);
  await client.hSet(recordKey, fixture.hash);
  await client.set(`${prefix}:keycheck`, fixture.keycheck);
  return { ...fixture, recordKey };
}

/**
 * The sandbox mock on provider time 1 000x real time: a 60 min token is 3.6 s, its refresh
 * due after 1.8 s.
 */
async function scaledMock() {
  const clock = createScaledClock({ factor: 1_000 });
  const { now } = clock;
  const mock = await createMockProvider({
    face: 'sandbox',
    otpMode: 'sandbox',
    tokenLifetime: 60,
    otpValidityMs: 3_600_000,
    now,
  });
  return { clock, now, mock };
}

describe.skipIf(!runRedis)('redisStore', () => {
  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
  }, 30_000);
  afterAll(async () => {
    await client?.close().catch(() => {});
    await redis?.stop();
  });

  it('keeps records sealed, under key names with no GSTIN or username, one hash tag per session', async () => {
    const s = store();
    const record = { secret: 'tok-SECRET-1234567890', gstin: GSTIN };
    await s.save(key, record);
    const names = redis.cli(['--scan', '--pattern', `u${stores}:*`]).split('\n');
    // The record, the key check, and the record's place on the schedule (one of its shards).
    expect(names).toHaveLength(3);
    expect(names).toContain(s.recordKeyOf(key));
    expect(names).toContain(`u${stores}:keycheck`);
    expect(names.find((name) => name.includes('{due.'))).toMatch(/^u\d+:\{due\.\d+\}$/);
    expect(redis.cli(['GET', `u${stores}:keycheck`])).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(names.join(' ')).not.toContain(GSTIN);
    expect(names.join(' ')).not.toContain(USERNAME);
    expect(s.recordKeyOf(key)).toMatch(/^u\d+:\{[A-Za-z0-9_-]{22}\}:record$/);
    const raw = redis.cli(['HGETALL', s.recordKeyOf(key)]);
    expect(raw).not.toContain('tok-SECRET');
    expect(raw).not.toContain(GSTIN);
    expect(await s.load(key)).toEqual(record);
  });

  it('refuses a record moved to another session as a StoreError', async () => {
    const s = store();
    await s.save(key, { a: 1 });
    const sealed = redis.cli(['HGET', s.recordKeyOf(key), 'r']);
    // The same record copied under another session's key does not open there.
    const moved = { gstin: OTHER_GSTIN, username: USERNAME };
    redis.cli(['HSET', s.recordKeyOf(moved), 'v', '1', 'r', sealed]);
    await expect(s.load(moved)).rejects.toMatchObject({ name: 'StoreError' });
  });

  it('refuses a worker with another seal key before any command, naming the cause', async () => {
    // Arrange: a deployment, and a worker started with another key on its prefix.
    const s = store();
    await s.save(key, { a: 1 });
    const prefix = `u${stores}`;
    const wrong = redisStore({ client, sealKey: randomBytes(32).toString('base64'), prefix });
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    const manager = sandboxManager(mock.url, wrong, { reauth: 'auto' });
    try {
      // Act
      const failures = await Promise.all(
        [
          wrong.list(),
          wrong.load(key),
          wrong.save(key, { b: 2 }),
          wrong.coordinator.lock(key, 1_000),
          manager.credentials(OTHER_GSTIN, USERNAME),
        ].map((p) =>
          p.then(
            () => 'resolved',
            (error: unknown) => error,
          ),
        ),
      );

      // Assert: each a StoreError that says what to do; no SMS, no login, nothing written.
      for (const failure of failures) {
        expect(failure).toMatchObject({ name: 'StoreError', code: 'GSTR_STORE' });
        expect(String((failure as Error).message)).toMatch(/sealKey.*copySessions/);
      }
      expect(mock.requests).toEqual([]);
      // The record, its place on the schedule and the key check: nothing more.
      expect(redis.cli(['--scan', '--pattern', `${prefix}:*`]).split('\n')).toHaveLength(3);
      expect(await s.load(key)).toEqual({ a: 1 });
    } finally {
      await manager.close();
      await mock.close();
    }
  });

  it('lets no other key claim a prefix written before the key check, and the right key adds it', async () => {
    // Arrange: records as 0.4.0 left them (no key check value).
    const sealKey = randomBytes(32).toString('base64');
    const s = store({ sealKey });
    await s.save(key, { a: 1 });
    const prefix = `u${stores}`;
    redis.cli(['DEL', `${prefix}:keycheck`]);

    // Act
    const wrong = redisStore({ client, sealKey: randomBytes(32).toString('base64'), prefix });
    const refused = await wrong.list().catch((error: unknown) => error);
    const right = redisStore({ client, sealKey, prefix });

    // Assert
    expect(refused).toMatchObject({ name: 'StoreError' });
    expect(redis.cli(['EXISTS', `${prefix}:keycheck`])).toBe('0');
    expect(await right.list()).toEqual([key]);
    expect(redis.cli(['EXISTS', `${prefix}:keycheck`])).toBe('1');
  });

  it('lists with SCAN, skipping removed sessions (their version stays)', async () => {
    const s = store();
    await s.save(key, { a: 1 });
    await s.save({ gstin: OTHER_GSTIN, username: USERNAME }, { b: 2 });
    await s.delete(key);
    expect(await s.list()).toEqual([{ gstin: OTHER_GSTIN, username: USERNAME }]);
    expect(await s.load(key)).toBeUndefined();
    expect((await s.coordinator.read(key)).version).toBe(2);
  });

  it('commits only over the version read, and never while another worker holds the lock', async () => {
    const { coordinator } = store();
    expect(await coordinator.commit(key, { n: 1 }, 0, undefined)).toBe(1);
    // A late writer that read version 0 is fenced out.
    expect(await coordinator.commit(key, { n: 'stale' }, 0, undefined)).toBeUndefined();
    const owner = await coordinator.lock(key, 5_000);
    expect(owner).toBeDefined();
    expect(await coordinator.lock(key, 5_000)).toBeUndefined();
    // Someone else's lock: fenced out even at the right version.
    expect(await coordinator.commit(key, { n: 'other' }, 1, undefined)).toBeUndefined();
    expect(await coordinator.commit(key, { n: 2 }, 1, owner)).toBe(2);
    // The commit released the owner's lock.
    const next = await coordinator.lock(key, 5_000);
    expect(next).toBeDefined();
    // Releasing with a stale owner token does not free the new holder's lock.
    await coordinator.release(key, owner ?? '');
    expect(await coordinator.lock(key, 5_000)).toBeUndefined();
    expect(await coordinator.extend(key, owner ?? '', 5_000)).toBe(false);
    expect(await coordinator.extend(key, next ?? '', 5_000)).toBe(true);
    expect((await coordinator.read(key)).record).toEqual({ n: 2 });
  });

  it('announces each commit with the session id and its version, to every watcher', async () => {
    const { coordinator } = store();
    const seen: string[] = [];
    const stop = await coordinator.watch(
      (change) => seen.push(`${change.sid} ${change.version}`),
      () => {},
    );
    try {
      await coordinator.commit(key, { n: 1 }, 0, undefined);
      const deadline = Date.now() + 2_000;
      while (seen.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual([`${coordinator.sidOf(key)} 1`]);
    } finally {
      await stop();
    }
  });

  it('fails fast with StoreUnavailableError while the server is paused, then works again', async () => {
    await expectFailsFastWhilePaused(redis, store(), key);
  });

  it('copies a deployment of an earlier release into Redis with the same token (no OTP)', async () => {
    // A record saved by 0.1 (persisted format 1), as a fileStore of that release holds it.
    const v1 = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { token: { authToken: string } };
    const from = memoryStore();
    await from.save(key, v1);
    const to = store();
    const provider = signzyProvider({ ...MOCK_DEFAULT_ACCOUNT, baseUrl: 'http://127.0.0.1:9' });
    expect(await copySessions({ from, to, provider })).toEqual({ copied: 1, skipped: [] });
    const copied = (await to.load(key)) as { state: string; token: { authToken: string } };
    expect(copied.state).toBe('authenticated');
    expect(copied.token.authToken).toBe(v1.token.authToken);
  });

  it('pages its keys with SCAN, each once, and a fresh manager lists the store through them', async () => {
    // Arrange: 150 records, and a 0.1 session among them.
    const s = store();
    const keys = Array.from({ length: 150 }, (_, i) => ({ gstin: GSTIN, username: `clerk-${i}` }));
    await Promise.all(keys.map((k) => s.save(k, { n: k.username })));
    await s.save(key, JSON.parse(readFileSync(FIXTURE, 'utf8')));
    const mock = await createMockProvider({ face: 'signzy', otpMode: 'sandbox' });
    const manager = createSessionManager({
      provider: signzyProvider({ ...MOCK_DEFAULT_ACCOUNT, baseUrl: mock.url }),
      store: s,
    });
    try {
      // Act
      const seen: string[] = [];
      let pages = 0;
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await s.listPage(cursor, 20);
        seen.push(...page.keys.map((k) => k.username));
        cursor = page.cursor;
        pages += 1;
      }
      const listed = await manager.sessions({ state: 'authenticated', limit: 10 });

      // Assert
      expect(new Set(seen).size).toBe(151);
      expect(seen).toHaveLength(151);
      expect(pages).toBeGreaterThan(2);
      // The 150 raw records are no sessions: left out; the 0.1 one is found, its token as saved.
      let found = [...listed.sessions];
      for (let cursor = listed.cursor; cursor; ) {
        const page = await manager.sessions({ state: 'authenticated', limit: 10, cursor });
        found = found.concat(page.sessions);
        cursor = page.cursor;
      }
      expect(found).toMatchObject([{ gstin: GSTIN, username: USERNAME, state: 'authenticated' }]);
      expect(manager.list()).toEqual([]);
      expect(mock.requests).toEqual([]);
    } finally {
      await manager.close();
      await mock.close();
    }
  });

  it('resolves a call after the events of the transition it caused, as one process does', async () => {
    // On Redis, events wait for the commit of their state: a call must not outrun them.
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    const manager = sandboxManager(mock.url, store(), { reauth: 'auto' });
    const order: string[] = [];
    manager.on('otp.required', () => order.push('otp.required'));
    manager.on('session.authenticated', () => order.push('session.authenticated'));
    manager.on('session.loggedOut', () => order.push('session.loggedOut'));
    try {
      const asked = manager.credentials(GSTIN, USERNAME);
      await manager.get(GSTIN, USERNAME).once('otp.required');
      await manager.submitOtp(GSTIN, USERNAME, '575757');
      order.push('submitOtp resolved');
      await asked;
      await manager.get(GSTIN, USERNAME).logout();
      order.push('logout resolved');
      expect(order).toEqual([
        'otp.required',
        'session.authenticated',
        'submitOtp resolved',
        'session.loggedOut',
        'logout resolved',
      ]);
    } finally {
      await manager.close();
      await mock.close();
    }
  });

  it('gives the account login lock back when a login fails, so another login need not wait', async () => {
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    mock.setFault('login', { kind: 'status', status: 503, times: 1 });
    const shared = store();
    const manager = () =>
      sandboxManager(mock.url, shared, { provider: { retry: { limit: 0 } }, reauth: 'auto' });
    const [a, b] = [manager(), manager()];
    try {
      await expect(a.credentials(GSTIN, USERNAME)).rejects.toMatchObject({
        name: 'ProviderUnavailableError',
      });
      expect(redis.cli(['--scan', '--pattern', `u${stores}:*:login`])).toBe('');
      // The lock lives 30 s: a login that had to wait it out would miss this 5 s wait.
      const asked = b.credentials(OTHER_GSTIN, USERNAME, { timeoutMs: 5_000 });
      await eventually(() => mock.count('getOtp') === 1, 5_000);
      await b.submitOtp(OTHER_GSTIN, USERNAME, '575757');
      await expect(asked).resolves.toMatchObject({ gstin: OTHER_GSTIN });
      expect(mock.count('login')).toBe(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await mock.close();
    }
  });

  it('takes an OTP typed on one worker while another is still committing the round', async () => {
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    // The SMS is out (the request reached the provider) well before its answer is committed.
    mock.setFault('getOtp', { kind: 'delay', ms: 400, times: 1 });
    const shared = store();
    const manager = () => sandboxManager(mock.url, shared, { reauth: 'manual' });
    const [a, b] = [manager(), manager()];
    try {
      a.get(GSTIN, USERNAME).start();
      await eventually(() => mock.count('getOtp') === 1, 5_000);
      const typed = await b.submitOtp(GSTIN, USERNAME, '575757');
      expect(typed.gstin).toBe(GSTIN);
      expect(mock.count('getOtp')).toBe(1);
      expect(mock.count('getAuthToken')).toBe(1);
      await eventually(() => a.get(GSTIN, USERNAME).state === 'authenticated', 5_000);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await mock.close();
    }
  });

  it('refuses an OTP when no round is under way anywhere, as SessionStateError even with Redis paused', async () => {
    const manager = sandboxManager('http://127.0.0.1:9', store());
    try {
      await expect(manager.submitOtp(GSTIN, USERNAME, '575757')).rejects.toMatchObject({
        name: 'SessionStateError',
      });
      redis.pause();
      try {
        // Waiting out another worker's round needs Redis: without it, the refusal stands.
        await expect(manager.submitOtp(GSTIN, USERNAME, '575757')).rejects.toMatchObject({
          name: 'SessionStateError',
        });
      } finally {
        redis.resume();
      }
    } finally {
      await manager.close();
    }
  });

  it('gives the session lock back when a refresh fails for good, not at the end of its lifetime', async () => {
    const { clock, now, mock } = await scaledMock();
    const s = redisStore({
      client,
      sealKey: randomBytes(32).toString('base64'),
      prefix: `u${++stores}`,
      lockTtlMs: 5_000,
      commandTimeoutMs: 300,
    });
    const manager = sandboxManager(mock.url, s, {
      provider: { retry: { limit: 0 }, now },
      refreshLeadMs: 30 * 60_000,
      refreshJitterMs: 0,
      otpValidityMs: 3_600_000,
      clock,
    });
    try {
      manager.get(GSTIN, USERNAME).start();
      await eventually(() => mock.count('getOtp') === 1, 5_000);
      mock.setFault('refreshToken', { kind: 'status', status: 503 });
      await manager.submitOtp(GSTIN, USERNAME, '575757');
      // Four tries under the lock, then the session keeps its token until it expires.
      await eventually(() => mock.count('refreshToken') === 4, 10_000);
      await eventually(() => manager.get(GSTIN, USERNAME).state === 'authenticated', 5_000);
      const until = Date.now() + 1_000;
      while ((await s.coordinator.isLocked(key)) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      // Held to the end of its 5 s lifetime, the lock would still be here (the token, and
      // with it the commit of `expired`, lasts 1.8 s more). The failed refresh's own commit
      // (its `session.expiring` warning) or, without one, the return to a resting state with
      // nothing to commit gives it back.
      expect(await s.coordinator.isLocked(key)).toBe(false);
      expect(manager.get(GSTIN, USERNAME).state).toBe('authenticated');
    } finally {
      await manager.close();
      await mock.close();
    }
  });

  it('restores a record 0.4.0 wrote with no request and the same token, and seals it again bound to its version', async () => {
    const prefix = `legacy${++stores}`;
    const fixture = await writeRedisV1(prefix);
    const saved = JSON.parse(fixture.hash.r ?? '{}') as unknown;
    const s = store({ sealKey: fixture.sealKey, prefix });
    const clock = createTestClock(Date.UTC(2026, 10, 30, 9, 5));
    const manager = sandboxManager('http://127.0.0.1:9', s, { clock });
    try {
      const credentials = await manager.credentials(fixture.key.gstin, fixture.key.username);
      expect(credentials.authToken).toBe('1d5f0e408e51119484df2fe184fb5c9c3cdfaa0300788ff8');
      await eventually(async () => (await client.hGet(fixture.recordKey, 'r')) !== fixture.hash.r);
      expect(saved).not.toEqual(JSON.parse((await client.hGet(fixture.recordKey, 'r')) ?? '{}'));
      expect(await client.hGet(fixture.recordKey, 'v')).toBe(fixture.hash.v);
      // Sealed again bound to its version: a store that refuses 0.4 records opens it now.
      const strict = redisStore({
        client,
        sealKey: fixture.sealKey,
        prefix,
        legacyRecords: 'refuse',
      });
      expect(await strict.load(fixture.key)).toMatchObject({ state: 'authenticated' });
    } finally {
      await manager.close();
    }
  });

  it('refuses a record 0.4.0 wrote when legacyRecords is refuse, as tampered', async () => {
    const prefix = `legacy${++stores}`;
    const fixture = await writeRedisV1(prefix);
    const strict = redisStore({
      client,
      sealKey: fixture.sealKey,
      prefix,
      legacyRecords: 'refuse',
    });
    await expect(strict.load(fixture.key)).rejects.toMatchObject({
      name: 'StoreError',
      message: expect.stringMatching(/tampered/),
    });
    expect(await client.hGet(fixture.recordKey, 'r')).toBe(fixture.hash.r);
  });

  it('refuses an older sealed value written over a newer one (a rollback) as tampered', async () => {
    const s = store();
    await s.save(key, { token: 'superseded' });
    const older = await client.hGet(s.recordKeyOf(key), 'r');
    expect(await s.coordinator.commit(key, { token: 'current' }, 1, undefined)).toBe(2);
    await client.hSet(s.recordKeyOf(key), 'r', older ?? '');
    await expect(s.load(key)).rejects.toMatchObject({
      name: 'StoreError',
      message: expect.stringMatching(/tampered/),
    });
    // Its own version back with it, the older value opens: that is a record, not a rollback.
    await client.hSet(s.recordKeyOf(key), 'v', '1');
    expect(await s.load(key)).toEqual({ token: 'superseded' });
  });

  it('writes a live session back after Redis lost its data, so the next worker takes it with no OTP', async () => {
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    const sealKey = randomBytes(32).toString('base64');
    const prefix = `lost${++stores}`;
    const holder = sandboxManager(mock.url, store({ sealKey, prefix, pollIntervalMs: 100 }));
    let next: ReturnType<typeof sandboxManager> | undefined;
    try {
      holder.get(GSTIN, USERNAME).start();
      await eventually(() => mock.count('getOtp') === 1, 5_000);
      const { authToken } = await holder.submitOtp(GSTIN, USERNAME, '575757');
      const recordKey = store({ sealKey, prefix }).recordKeyOf(key);
      const version = Number(await client.hGet(recordKey, 'v'));
      await client.flushAll();
      // Within a poll interval the holder finds its record gone and writes it back, one
      // version past the one it held (versions never go back).
      await eventually(async () => (await client.exists(recordKey)) === 1, 5_000);
      expect(Number(await client.hGet(recordKey, 'v'))).toBe(version + 1);
      next = sandboxManager(mock.url, store({ sealKey, prefix }));
      await expect(next.credentials(GSTIN, USERNAME)).resolves.toMatchObject({ authToken });
      expect(mock.count('getOtp')).toBe(1);
      // A restart without persistence loses it again; the resubscription writes it back.
      await redis.restart();
      await eventually(async () => (await client.exists(recordKey).catch(() => 0)) === 1, 10_000);
      expect(mock.count('getOtp')).toBe(1);
    } finally {
      await Promise.all([holder.close(), next?.close()]);
      await mock.close();
    }
  });

  it('keeps one account limits across workers: in flight, and a rate limit held for all', async () => {
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    const shared = store();
    const worker = () =>
      sandboxManager(mock.url, shared, {
        provider: { retry: { limit: 0 } },
        limits: { maxInFlight: 2, breakerFaults: 0 },
      });
    const [a, b] = [worker(), worker()];
    try {
      mock.setFault('getOtp', { kind: 'hang' });
      const [one, two, three, four] = VALID_GSTINS;
      for (const gstin of [one, two]) a.get(gstin, USERNAME).start();
      for (const gstin of [three, four]) b.get(gstin, USERNAME).start();
      await eventually(() => mock.hanging() === 2, 5_000);
      await eventually(
        () =>
          [one, two].every((g) => a.get(g, USERNAME).state === 'requestingOtp') &&
          [three, four].every((g) => b.get(g, USERNAME).state === 'requestingOtp'),
        5_000,
      );
      // Four asked on two workers; two reached the provider, the others wait in Redis's gate.
      expect(mock.count('getOtp')).toBe(2);
      mock.setFault('getOtp', { kind: 'status', status: 429, retryAfterSeconds: 1, times: 2 });
      mock.release(503);
      await eventually(() => mock.count('getOtp') === 4, 5_000);
      const limitedAt = Date.now();
      // Both 429s hold the account for every worker: nothing more is sent for a second.
      const [five] = VALID_GSTINS.slice(4);
      a.get(five ?? '', USERNAME).start();
      await eventually(() => mock.count('getOtp') === 5, 10_000);
      expect(Date.now() - limitedAt).toBeGreaterThanOrEqual(800);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await mock.close();
    }
  });

  it('has a due session refreshed by a worker that never read it: start() reads nothing, the schedule hands it out', async () => {
    const { clock, now, mock } = await scaledMock();
    const sealKey = randomBytes(32).toString('base64');
    const prefix = `due${++stores}`;
    const options = {
      provider: { retry: { limit: 0 }, now },
      refreshLeadMs: 30 * 60_000,
      refreshJitterMs: 0,
      otpValidityMs: 3_600_000,
      clock,
    };
    const first = sandboxManager(mock.url, store({ sealKey, prefix }), options);
    const second = sandboxManager(mock.url, store({ sealKey, prefix }), options);
    try {
      first.get(GSTIN, USERNAME).start();
      await eventually(() => mock.count('getOtp') === 1, 5_000);
      const { authToken, expiresAt } = await first.submitOtp(GSTIN, USERNAME, '575757');
      await first.close();

      // Act: a fresh worker starts; it holds nothing and reads nothing up front.
      expect(await second.start()).toEqual({ restored: 0, skipped: 0, skippedRecords: [] });
      expect(second.list()).toEqual([]);

      // Assert: at the refresh time it claims the session, reads it and refreshes it.
      await eventually(() => mock.count('refreshToken') === 1, 10_000);
      await eventually(() => second.list()[0]?.state === 'authenticated', 5_000);
      const refreshed = await second.credentials(GSTIN, USERNAME);
      expect(refreshed.authToken).not.toBe(authToken);
      expect(refreshed.expiresAt).toBeGreaterThan(expiresAt);
      expect(mock.count('getOtp')).toBe(1);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await mock.close();
    }
  });

  it('puts the records 0.4.0 wrote on the schedule when a worker starts, each at its own deadline, with no request', async () => {
    const prefix = `legacy${++stores}`;
    const fixture = await writeRedisV1(prefix);
    const s = store({ sealKey: fixture.sealKey, prefix });
    const record = JSON.parse(
      readFileSync(
        new URL('../fixtures/persisted-v2-sandbox-authenticated.json', import.meta.url),
        'utf8',
      ),
    ) as { token: { refreshAt: number } };
    const sid = fixture.recordKey.slice(
      fixture.recordKey.indexOf('{') + 1,
      fixture.recordKey.indexOf('}'),
    );
    const scoreOf = async () => {
      for (let shard = 0; shard < 16; shard += 1) {
        const score = await client.zScore(`${prefix}:{due.${shard}}`, sid);
        if (score !== null) return score;
      }
      return undefined;
    };
    expect(await scoreOf()).toBeUndefined();
    const clock = createTestClock(Date.UTC(2026, 10, 30, 9, 5));
    const manager = sandboxManager('http://127.0.0.1:9', s, { clock });
    try {
      await manager.start();
      await eventually(async () => (await scoreOf()) === record.token.refreshAt, 10_000);
      expect(await client.get(`${prefix}:scheduled`)).toBeTruthy();
    } finally {
      await manager.close();
    }
  });

  it("holds an account's login lock for the store's lockTtlMs, not a fixed 30 s", async () => {
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    mock.setFault('login', { kind: 'hang' });
    const shared = store();
    const manager = sandboxManager(mock.url, shared, {
      provider: { retry: { limit: 0 } },
      reauth: 'auto',
    });
    try {
      const asked = manager.credentials(GSTIN, USERNAME).catch(() => undefined);
      await eventually(() => mock.hanging() === 1, 5_000);
      const [login] = redis.cli(['--scan', '--pattern', `u${stores}:*:login`]).split('\n');
      const ttl = Number(redis.cli(['PTTL', login ?? '']));
      // This test's store lives 1 000 ms a lock.
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000);
      mock.release(503);
      await asked;
    } finally {
      await manager.close();
      await mock.close();
    }
  });

  it("names the client's own error class when a command fails, never its message", async () => {
    // node-redis' own command timeout leaves `name` as 'Error': the class says what happened.
    class TimeoutError extends Error {}
    const failing = {
      isReady: true,
      sendCommand: () => Promise.reject(new TimeoutError('redis://user:hunter2@host failed')),
      duplicate: () => failing,
    };
    const s = redisStore({ client: failing as never, sealKey: randomBytes(32).toString('base64') });
    const error = await s.load(key).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ name: 'StoreUnavailableError' });
    expect(error?.message).toMatch(/TimeoutError/);
    expect(error?.message).not.toContain('hunter2');
  });

  it('checks its options before any command', () => {
    expect(() => redisStore({ client: {} as never, sealKey: 'short' })).toThrow(/client/);
    expect(() => redisStore({ client, sealKey: 'short' })).toThrow(/sealKey/);
    expect(() =>
      redisStore({ client, sealKey: randomBytes(32).toString('base64'), prefix: 'a b' }),
    ).toThrow(/prefix/);
  });
});
