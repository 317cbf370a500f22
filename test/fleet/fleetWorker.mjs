// A worker process of the fleet tests: one session manager on the shared redis-server,
// talking to the mock provider over loopback HTTP, driven by its parent over IPC. It runs the
// built package (dist), as an app would.
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import {
  createSessionManager,
  ewayBill,
  gstr3bSummary,
  sandboxProvider,
} from '../../dist/src/index.js';
import { ewaybillProvider } from '../../dist/src/node/index.js';
import { redisStore } from '../../dist/src/redis/index.js';
import { createScaledClock, MOCK_SANDBOX_ACCOUNT } from '../../dist/src/testing/index.js';

const config = JSON.parse(process.env.GSTR_FLEET ?? '{}');
const send = (message) => process.send?.(message);
process.on('unhandledRejection', (error) => send({ unhandled: String(error?.name ?? error) }));

const client = createClient({
  url: config.redisUrl,
  // Reconnect quickly in the tests (the server is stopped and started on purpose).
  socket: { reconnectStrategy: () => 100, connectTimeout: 1_000 },
});
client.on('error', () => {});
await client.connect();

// Provider time, compressed in the benchmark of a whole access window: the sessions, the
// provider client and the mock (in the parent) all read it, from one epoch.
const clock =
  (config.clockFactor ?? 1) === 1
    ? undefined
    : createScaledClock({ factor: config.clockFactor, epoch: config.epoch });
const now = clock ? clock.now : Date.now;

// The mock's Sandbox face by default; its e-way bill face (NIC, a password login) when the
// parent passes NIC's account, public key and token lifetime.
const provider = config.nic
  ? ewaybillProvider({
      baseUrl: config.mockUrl,
      clientId: config.nic.clientId,
      clientSecret: config.nic.clientSecret,
      publicKey: config.nic.publicKey,
      password: () => config.nic.password,
      tokenLifetimeMs: config.nic.tokenLifetimeMs,
      retry: { limit: config.providerRetries ?? 0 },
      now,
    })
  : sandboxProvider({
      ...MOCK_SANDBOX_ACCOUNT,
      baseUrl: config.mockUrl,
      retry: { limit: config.providerRetries ?? 0 },
      now,
    });
const read = config.nic ? ewayBill('331001234567') : gstr3bSummary('042024');
const manager = createSessionManager({
  provider,
  store: redisStore({
    client,
    sealKey: config.sealKey,
    prefix: config.prefix,
    lockTtlMs: config.lockTtlMs,
    pollIntervalMs: config.pollIntervalMs,
    commandTimeoutMs: config.commandTimeoutMs ?? 500,
  }),
  reauth: config.reauth ?? 'auto',
  refreshLeadMs: config.refreshLeadMs ?? 600_000,
  refreshJitterMs: config.refreshJitterMs ?? 0,
  clockCheckMs: config.clockCheckMs ?? 200,
  ...(config.otpValidityMs ? { otpValidityMs: config.otpValidityMs } : {}),
  ...(config.limits ? { limits: config.limits } : {}),
  // Warnings and errors go to the parent, which prints them when a test fails.
  logger: {
    warn: (message, data) =>
      send({ log: `${config.name} warn ${message} ${JSON.stringify(data)}` }),
    error: (message, data) =>
      send({ log: `${config.name} error ${message} ${JSON.stringify(data)}` }),
  },
  ...(clock ? { clock } : {}),
});
// A store that is down at boot: the worker reads sessions through when asked instead.
if (config.warmUp) await manager.start().catch(() => {});
for (const type of [
  'otp.required',
  'session.authenticated',
  'session.expired',
  'session.expiring',
  'session.failed',
]) {
  manager.on(type, (event) => send({ event: { type, gstin: event.gstin, worker: config.name } }));
}

/** A token's fingerprint: tokens are compared across workers without any secret in the output. */
const fingerprint = (credentials) => ({
  token: createHash('sha256').update(credentials.authToken).digest('hex').slice(0, 16),
  expiresAt: credentials.expiresAt,
});

const ops = {
  credentials: async (m) =>
    fingerprint(
      await manager.credentials(m.gstin, m.username, { timeoutMs: m.timeoutMs ?? 20_000 }),
    ),
  submitOtp: async (m) => fingerprint(await manager.submitOtp(m.gstin, m.username, m.otp)),
  start: async (m) => {
    manager.get(m.gstin, m.username).start();
    return true;
  },
  state: async (m) => manager.get(m.gstin, m.username).state,
  call: async (m) => (await manager.call(m.gstin, m.username, read)).kind,
  remove: async (m) => manager.remove(m.gstin, m.username),
  restore: async () => (await manager.start()).restored,
  close: async () => {
    await manager.close();
    await client.close().catch(() => {});
    return true;
  },
};

process.on('message', async (m) => {
  try {
    const value = await ops[m.op](m);
    send({ id: m.id, ok: true, value });
  } catch (error) {
    send({ id: m.id, ok: false, error: { name: error?.name, message: String(error?.message) } });
  }
});
send({ ready: true });
