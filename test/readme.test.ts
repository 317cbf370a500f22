import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRedis, startRedis } from './fleet/redisServer.js';

const ROOT = resolve(import.meta.dirname, '..');
const TMP = join(ROOT, 'test', `.tmp-readme-${process.pid}`);

/** The README's TypeScript blocks, in order. */
async function readmeBlocks(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** Runs a block as a module, with the package imports pointed at the sources. */
async function run(name: string, code: string): Promise<Record<string, unknown>> {
  await mkdir(TMP, { recursive: true });
  const file = join(TMP, `${name}.ts`);
  const source = code
    .replaceAll("'gstr-session/testing'", `'${join(ROOT, 'src/testing/index.js')}'`)
    .replaceAll("'gstr-session/node'", `'${join(ROOT, 'src/node/index.js')}'`)
    .replaceAll("'gstr-session/redis'", `'${join(ROOT, 'src/redis/index.js')}'`)
    .replaceAll("'gstr-session'", `'${join(ROOT, 'src/index.js')}'`);
  await writeFile(file, source);
  // What an example prints is for its reader (a passing run is quiet).
  const log = console.log;
  console.log = () => {};
  try {
    return await import(file);
  } finally {
    console.log = log;
  }
}

/** What the README's real-provider examples take from the app: here, the mock's. */
const MOCK_PREAMBLE = [
  "import { createMockProvider, MOCK_DEFAULT_ACCOUNT } from 'gstr-session/testing';",
  "const mock = await createMockProvider({ otpMode: 'sandbox' });",
  'const baseUrl = mock.url;',
  'const apiUser = MOCK_DEFAULT_ACCOUNT.username;',
  'const apiKey = MOCK_DEFAULT_ACCOUNT.password;',
  "const otpTypedByThePerson = '575757';",
];

afterAll(async () => {
  await rm(TMP, { recursive: true, force: true });
});

describe('README', () => {
  it('opens with the two commands', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const firstBlock = readme.match(/```sh\n([\s\S]*?)```/)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm start\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  it('runs the facade example as written against the mock provider', async () => {
    const [facade] = await readmeBlocks();
    const preamble = [
      ...MOCK_PREAMBLE,
      'const reasons: string[] = [];',
      'const askThePersonForTheOtp = (reason: string) => reasons.push(reason);',
    ].join('\n');
    const epilogue =
      "export const result = { authToken, sek, appKey, expiresAt, reasons, state: session.state, otps: mock.count('getOtp') };\nsession.stop();\nawait mock.close();\n";
    const module = await run('facade', `${preamble}\n${facade}\n${epilogue}`);
    const result = module.result as Record<string, unknown>;
    expect(result.state).toBe('authenticated');
    expect(result.otps).toBe(1);
    expect(result.reasons).toEqual(['initial']);
    expect(typeof result.authToken).toBe('string');
    expect(result.expiresAt).toBeGreaterThan(Date.now());
  });

  it('runs the two first examples of docs/testing.md as written (the rig, then by hand)', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'testing.md'), 'utf8');
    const [rigExample = '', byHand = ''] = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map(
      (m) => m[1] ?? '',
    );
    const rig = await run(
      'testing-doc-rig',
      `${rigExample}\nexport const state = session.state;\n`,
    );
    expect(rig.state).toBe('expired');
    const module = await run('testing-doc', `${byHand}\nexport const state = session.state;\n`);
    expect(module.state).toBe('otpRequested');
  });

  it('runs the manager example as written, the OTP reaching the manager', async () => {
    const example = (await readmeBlocks()).find((b) => b.includes('createSessionManager')) ?? '';
    const dir = join(TMP, 'manager-store');
    const preamble = [
      ...MOCK_PREAMBLE,
      "process.env.GSTR_STORE_KEY = Buffer.alloc(32, 7).toString('base64');",
      'const notified: string[] = [];',
      'const notifyThePerson = (gstin: string, username: string) => notified.push(gstin + "/" + username);',
    ].join('\n');
    const code = example.replace("'/var/lib/myapp/gstr'", JSON.stringify(dir));
    const epilogue =
      "export const result = { authToken, sek, appKey, notified, otps: mock.count('getOtp') };\nawait mock.close();\n";
    const module = await run('manager', `${preamble}\n${code}\n${epilogue}`);
    const result = module.result as Record<string, unknown>;
    expect(typeof result.authToken).toBe('string');
    expect(result.notified).toEqual(['27AAPFU0939F1ZV/portal-user']);
    expect(result.otps).toBe(1);
  });

  it.skipIf(!runRedis)(
    'runs the Redis example as written, the OTP posted to the app reaching the manager',
    async () => {
      const example = (await readmeBlocks()).find((b) => b.includes('redisStore')) ?? '';
      const redis = await startRedis();
      try {
        const preamble = [
          "import { createMockProvider, MOCK_SANDBOX_ACCOUNT } from 'gstr-session/testing';",
          "const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });",
          'const baseUrl = mock.url;',
          'const { apiKey, apiSecret } = MOCK_SANDBOX_ACCOUNT;',
          `process.env.REDIS_URL = ${JSON.stringify(redis.url)};`,
          "process.env.GSTR_STORE_KEY = Buffer.alloc(32, 9).toString('base64');",
          'const routes: Record<string, (req: any, res: any) => Promise<void>> = {};',
          'const app = { post: (path: string, handler: (req: any, res: any) => Promise<void>) => { routes[path] = handler; } };',
          'const notified: string[] = [];',
          // The person reads the SMS and types the OTP into the app's form, some time later.
          'const notifyThePerson = (gstin: string, username: string) => { notified.push(gstin); setTimeout(() => routes["/otp"]?.({ body: { gstin, username, otp: "575757" } }, { sendStatus: () => {} }), 20); };',
        ].join('\n');
        const epilogue =
          "export const result = { authToken, notified, otps: mock.count('getOtp') };\nawait manager.close();\nawait client.close();\nawait mock.close();\n";
        const module = await run('redis', `${preamble}\n${example}\n${epilogue}`);
        const result = module.result as Record<string, unknown>;
        expect(typeof result.authToken).toBe('string');
        expect(result.notified).toEqual(['27AAPFU0939F1ZV']);
        expect(result.otps).toBe(1);
      } finally {
        await redis.stop();
      }
    },
    30_000,
  );

  it('runs the mock-provider example as written', async () => {
    const blocks = await readmeBlocks();
    const example = blocks.find((b) => b.includes('gstr-session/testing')) ?? '';
    const module = await run(
      'mock',
      `${example}\nexport const result = { authToken, expiresAt, state: session.state };\n`,
    );
    expect(module.result).toMatchObject({ state: 'loggedOut' });
    expect(typeof (module.result as { authToken: unknown }).authToken).toBe('string');
  });
});
