import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_GSTN_CLIENT } from '../../src/testing/mock/gstnFace.js';
import { MOCK_NIC_ACCOUNT } from '../../src/testing/mock/nicFace.js';
import { MOCK_SANDBOX_ACCOUNT } from '../../src/testing/mock/sandboxFace.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { runRedis, startRedis, type TestRedis } from '../fleet/redisServer.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TMP = join(ROOT, 'test', `.tmp-run-blocks-${process.pid}`);

interface Block {
  readonly name: string;
  readonly code: string;
}

/** Every ```ts block of README.md and docs/*.md; `ts excerpt` blocks are fragments, not run. */
async function blocks(): Promise<Block[]> {
  const docs = (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md'));
  const out: Block[] = [];
  for (const file of ['README.md', ...docs.map((f) => join('docs', f))]) {
    const text = await readFile(join(ROOT, file), 'utf8');
    let index = 0;
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      index += 1;
      out.push({ name: `${file}#${index}`, code: match[1] ?? '' });
    }
  }
  return out;
}

/** Whether a block defines `name` itself (then the runner's placeholder stays out). */
function defines(code: string, name: string): boolean {
  return new RegExp(`((const|let|function)\\s+(\\{[^}]*)?|import[^;]*\\b)${name}\\b`).test(code);
}

let mocks: Record<'signzy' | 'gstn' | 'sandbox' | 'einvoice', MockProvider>;
let redis: TestRedis | undefined;
let ws: WebSocketServer;
let cwd: string;
const realFetch = globalThis.fetch;
const realCwd = process.cwd();
const offHost: string[] = [];

beforeAll(async () => {
  const [signzy, gstn, sandbox, einvoice] = await Promise.all(
    (['signzy', 'gstn', 'sandbox', 'einvoice'] as const).map((face) =>
      createMockProvider({ face, otpMode: 'sandbox' }),
    ),
  );
  mocks = {
    signzy: signzy as MockProvider,
    gstn: gstn as MockProvider,
    sandbox: sandbox as MockProvider,
    einvoice: einvoice as MockProvider,
  };
  // The providers' own addresses, as an example names them, answered by the mock of each:
  // an example runs as written, and nothing leaves this machine.
  const hosts: [string, string][] = [
    ['https://signzy.tech', mocks.signzy.url],
    ['https://preproduction.signzy.tech', mocks.signzy.url],
    ['https://api.sandbox.co.in', mocks.sandbox.url],
    ['https://test-api.sandbox.co.in', mocks.sandbox.url],
    ['https://gsp.example.com/gus', mocks.gstn.url],
    ['https://einv-apisandbox.nic.in', mocks.einvoice.url],
  ];
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const target = hosts.find(([from]) => url.startsWith(`${from}/`));
    if (!target) {
      if (!url.startsWith('http://127.0.0.1:')) {
        offHost.push(url);
        return Promise.reject(new TypeError(`the block tried to reach ${url}`));
      }
      return realFetch(input, init);
    }
    const moved = `${target[1]}${url.slice(target[0].length)}`;
    return realFetch(input instanceof Request ? new Request(moved, input) : moved, init);
  };
  if (runRedis) redis = await startRedis();
  ws = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  ws.on('connection', (socket) => socket.on('message', () => {}));
  await new Promise((done) => ws.once('listening', done));
  cwd = await mkdtemp(join(tmpdir(), 'gstr-blocks-'));
  // The certificate files the GSTN examples read, in the directory they run in.
  for (const name of ['gstn-public.cer', 'GSTN_G2B_Prod_Public.cer']) {
    await writeFile(join(cwd, name), mocks.gstn.certificate());
  }
  await writeFile(join(cwd, 'einvoice-sandbox-public.pem'), mocks.einvoice.publicKey());
  process.chdir(cwd);
  Object.assign(process.env, {
    NIC_CLIENT_ID: MOCK_NIC_ACCOUNT.clientId,
    NIC_CLIENT_SECRET: MOCK_NIC_ACCOUNT.clientSecret,
    NIC_API_PASSWORD: MOCK_NIC_ACCOUNT.password,
    GSTR_STORE_KEY: randomBytes(32).toString('base64'),
    GSTN_CLIENT_ID: MOCK_GSTN_CLIENT.clientId,
    GSTN_CLIENT_SECRET: MOCK_GSTN_CLIENT.clientSecret,
    GSP_KEY: 'a-gsp-signing-key',
    SANDBOX_API_KEY: MOCK_SANDBOX_ACCOUNT.apiKey,
    SANDBOX_API_SECRET: MOCK_SANDBOX_ACCOUNT.apiSecret,
    ...(redis ? { REDIS_URL: redis.url } : {}),
  });
  await mkdir(TMP, { recursive: true });
}, 60_000);

afterAll(async () => {
  globalThis.fetch = realFetch;
  process.chdir(realCwd);
  await Promise.all(Object.values(mocks ?? {}).map((m) => m.close()));
  await redis?.stop();
  await new Promise((done) => ws?.close(done));
  await rm(TMP, { recursive: true, force: true });
  await rm(cwd, { recursive: true, force: true });
});

/** What a block uses and leaves to the reader, as the reader's app would have it. */
function preamble(block: Block): string {
  const sandbox = block.code.includes('sandboxProvider({ baseUrl');
  const account = sandbox
    ? {
        url: mocks.sandbox.url,
        user: MOCK_SANDBOX_ACCOUNT.apiKey,
        key: MOCK_SANDBOX_ACCOUNT.apiKey,
      }
    : {
        url: mocks.signzy.url,
        user: MOCK_DEFAULT_ACCOUNT.username,
        key: MOCK_DEFAULT_ACCOUNT.password,
      };
  const values: Record<string, string> = {
    baseUrl: `const baseUrl = ${JSON.stringify(account.url)};`,
    apiUser: `const apiUser = ${JSON.stringify(account.user)};`,
    apiKey: `const apiKey = ${JSON.stringify(account.key)};`,
    apiSecret: `const apiSecret = ${JSON.stringify(MOCK_SANDBOX_ACCOUNT.apiSecret)};`,
    otpTypedByThePerson: "const otpTypedByThePerson = '575757';",
    askThePersonForTheOtp: 'const askThePersonForTheOtp = (_reason: string) => {};',
    oldKey: `const oldKey = ${JSON.stringify(randomBytes(32).toString('base64'))};`,
    newKey: `const newKey = ${JSON.stringify(randomBytes(32).toString('base64'))};`,
    provider: `const provider = (await import(${JSON.stringify(join(ROOT, 'src/index.js'))})).signzyProvider({ ...${JSON.stringify(MOCK_DEFAULT_ACCOUNT)}, baseUrl: ${JSON.stringify(mocks.signzy.url)} });`,
    client: `const client = (await import('redis')).createClient({ url: process.env.REDIS_URL }); client.on('error', () => {}); await client.connect(); __cleanup.push(() => client.quit());`,
    // The app's routes; the person reads the SMS and types the OTP into the form a little later.
    app: 'const app = { post: (path: string, handler: (req: any, res: any) => Promise<void>) => { __routes[path] = handler; } };',
    notifyThePerson:
      // A post that fails is the example's failure; one that lands after the example ended
      // (its manager closed) is what an app's form would answer with an error page.
      'const notifyThePerson = (gstin: string, username: string) => { setTimeout(() => { const post = __routes["/otp"]?.({ body: { gstin, username, otp: "575757" } }, { sendStatus: () => {} }); post?.catch((error: unknown) => { if (!__done) __postErrors.push(error); }); }, 20); };',
  };
  const used = Object.entries(values)
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(block.code) && !defines(block.code, name))
    .map(([, line]) => line);
  return [
    // Each block's own: its app's routes, its cleanup, whether it has ended, and the errors of
    // the OTP posts its person made while it ran (a later block's timers never reach them).
    'const __cleanup: (() => unknown)[] = [];',
    'const __routes: Record<string, (req: any, res: any) => Promise<void>> = {};',
    'let __done = false;',
    'const __postErrors: unknown[] = (globalThis as any).__postErrors;',
    ...used,
  ].join('\n');
}

/** Stops what a block left running (an example need not show its app's shutdown). */
function epilogue(code: string): string {
  const declares = (name: string) => new RegExp(`(const|let)\\s+${name}\\b`).test(code);
  const lines = [
    declares('session') ? 'session.stop();' : '',
    declares('manager') ? 'await manager.close();' : '',
    declares('inspector') && code.includes('startInspector')
      ? 'await inspector.close().catch(() => {});'
      : '',
    declares('client') ? 'await client.quit().catch(() => {});' : '',
    'for (const stop of __cleanup) await stop();',
    '__done = true;',
  ];
  return lines.filter(Boolean).join('\n');
}

/** The block as a module on the sources, with the few paths of the reader's machine moved here. */
function moduleOf(block: Block): string {
  const code = block.code
    .replaceAll("'/var/lib/myapp/gstr'", JSON.stringify(join(cwd, 'gstr')))
    .replaceAll("'ws://127.0.0.1:8088'", `'ws://127.0.0.1:${(ws.address() as AddressInfo).port}'`)
    .replaceAll("'gstr-session/testing'", `'${join(ROOT, 'src/testing/index.js')}'`)
    .replaceAll("'gstr-session/node'", `'${join(ROOT, 'src/node/index.js')}'`)
    .replaceAll("'gstr-session/redis'", `'${join(ROOT, 'src/redis/index.js')}'`)
    .replaceAll("'gstr-session/otel'", `'${join(ROOT, 'src/otel/index.js')}'`)
    .replaceAll("'gstr-session'", `'${join(ROOT, 'src/index.js')}'`);
  return `${preamble(block)}\n${code}\n${epilogue(block.code)}\nexport {};\n`;
}

const all = await blocks();

describe('the TypeScript blocks of README.md and docs/', () => {
  it('are found (a renamed fence would run nothing)', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  it.each(all.map((block) => [block.name, block] as const))(
    'runs %s as written',
    async (name, block) => {
      if (!runRedis && /redis/i.test(block.code)) {
        console.warn(`${name} needs redis-server (Debian package redis-server): skipped`);
        return;
      }
      // Each example starts on a deployment of its own.
      redis?.cli(['FLUSHALL']);
      const file = join(TMP, `${name.replaceAll(/[^A-Za-z0-9]/g, '_')}.ts`);
      await writeFile(file, moduleOf(block));
      // What an example prints is for its reader: kept here, so that a passing run is quiet.
      const printed: unknown[][] = [];
      const warned: unknown[][] = [];
      const saved = { log: console.log, warn: console.warn, error: console.error };
      console.log = (...args: unknown[]) => void printed.push(args);
      console.warn = (...args: unknown[]) => void warned.push(args);
      console.error = (...args: unknown[]) => void warned.push(args);
      const postErrors: unknown[] = [];
      Object.assign(globalThis, { __postErrors: postErrors });
      try {
        await import(file);
      } finally {
        Object.assign(console, saved);
      }
      expect(postErrors, 'an OTP the person typed was refused').toEqual([]);
      expect(offHost).toEqual([]);
      expect(warned, 'an example that warns or logs an error').toEqual([]);
    },
    30_000,
  );
});
