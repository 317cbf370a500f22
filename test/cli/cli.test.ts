import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_GSTN_CLIENT } from '../../src/testing/mock/gstnFace.js';
import { MOCK_SANDBOX_ACCOUNT } from '../../src/testing/mock/sandboxFace.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { wrongOtpFor } from '../../src/testing/mock/wrongOtp.js';
import { GSTIN } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ENV = {
  GSTR_PROVIDER_USERNAME: MOCK_DEFAULT_ACCOUNT.username,
  GSTR_PROVIDER_PASSWORD: MOCK_DEFAULT_ACCOUNT.password,
};

let mock: MockProvider;
let dir: string;
beforeAll(async () => {
  // The CLI is tested as shipped: the built file. `npm test` builds first; a bare vitest run builds here.
  if (!existsSync(CLI)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  mock = await createMockProvider();
  dir = await mkdtemp(join(tmpdir(), 'gstr-cli-'));
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  prompts: number;
}

/** Runs the built CLI; `answer(n)` gives the line typed at the n-th OTP prompt (undefined closes stdin). */
function cli(
  args: string[],
  answer: (prompt: number) => string | undefined = () => undefined,
  env: Record<string, string> = ENV,
): Promise<Result> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    const result: Result = { code: null, stdout: '', stderr: '', prompts: 0 };
    child.stdout.on('data', (chunk: Buffer) => {
      result.stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      result.stderr += text;
      for (const _ of text.matchAll(/(Enter the OTP|Type r to have)/g)) {
        result.prompts += 1;
        const line = answer(result.prompts);
        if (line === undefined) child.stdin.end();
        else child.stdin.write(`${line}\n`);
      }
    });
    child.on('close', (code) => {
      result.code = code;
      done(result);
    });
  });
}

/** `login` against a provider at `url`, plus any further arguments. */
const loginAt = (url: string, ...more: string[]): string[] => [
  'login',
  '--gstin',
  GSTIN,
  '--username',
  'portal-user',
  '--base-url',
  url,
  ...more,
];

/** `login` against the mock, plus any further arguments. */
const login = (...more: string[]): string[] => loginAt(mock.url, ...more);
/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const sms = (): string => mock.otpFor(GSTIN) ?? '';
const wrong = (): string => wrongOtpFor(sms());

describe('gstr-session login', () => {
  it('asks again after a wrong OTP, then prints the credentials as JSON', async () => {
    const result = await cli(login(), (n) => (n === 1 ? wrong() : sms()));
    expect(result.code).toBe(0);
    expect(result.prompts).toBe(2);
    expect(result.stderr).toContain('That OTP was refused: check the six digits');
    expect(result.stderr).toContain('2 attempts left');
    const credentials = JSON.parse(result.stdout) as { authToken: string; gstin: string };
    expect(credentials.gstin).toBe(GSTIN);
    expect(mock.isAuthTokenValid(credentials.authToken)).toBe(true);
    expect(
      leakedSecrets(result.stderr, [MOCK_DEFAULT_ACCOUNT.password, credentials.authToken]),
    ).toEqual([]);
  });

  it('handles a resend request at the prompt', async () => {
    const before = mock.count('getOtp');
    const result = await cli(login(), (n) => (n === 1 ? 'r' : sms()));
    expect(result.code).toBe(0);
    // Within the 30 s cooldown the resend is refused, with the reason, and the prompt comes back.
    expect(result.stderr).toMatch(/a new one can be sent in \d+ s/);
    expect(mock.count('getOtp') - before).toBe(1);
  });

  it('saves the session to a file only its owner can read, which status then shows', async () => {
    const file = join(dir, 'session.json');
    const saving = await cli(login('--save', file), () => sms());
    expect(saving.code).toBe(0);
    expect(saving.stdout).toBe('');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      session: { token: { authToken: string; secrets: { sek: string; appKey: string } } };
    };

    const status = await cli(['status', '--session', file]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`GSTIN      ${GSTIN}`);
    expect(status.stdout).toContain('state      authenticated');
    expect(status.stdout).toMatch(/expires .*\(in 5 h 59 min|in 6 h 0 min\)/);
    expect(
      leakedSecrets(status.stdout, [
        saved.session.token.authToken,
        saved.session.token.secrets.sek,
        saved.session.token.secrets.appKey,
      ]),
    ).toEqual([]);

    const secrets = await cli(['status', '--session', file, '--show-secrets', '--json']);
    expect(JSON.parse(secrets.stdout)).toMatchObject({
      authToken: saved.session.token.authToken,
      sek: saved.session.token.secrets.sek,
      appKey: saved.session.token.secrets.appKey,
      provider: 'signzy',
      state: 'authenticated',
    });
  });

  it('fails with one line and exit code 1 when standard input closes, with the stack only on --debug', async () => {
    const plain = await cli(login());
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split('\n').at(-1)).toBe(
      'gstr-session: no OTP given: standard input was closed',
    );
    expect(plain.stderr).not.toContain('    at ');
    const debug = await cli(login('--debug'));
    expect(debug.stderr).toContain('    at ');
  });

  it('fails with exit code 1 when the provider refuses the API credentials', async () => {
    const result = await cli(login(), undefined, {
      GSTR_PROVIDER_USERNAME: 'demo-api-user',
      GSTR_PROVIDER_PASSWORD: 'wrong-api-key-7',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The provider refused the API credentials while logging in to the provider',
    );
    expect(result.stderr).not.toContain('wrong-api-key-7');
  });
});

describe('gstr-session login, when things go wrong', () => {
  it('fails before any request when --save points into a missing folder', async () => {
    const before = mock.requests.length;
    const result = await cli(login('--save', join(dir, 'missing', 's.json')), () => sms());
    expect(result.code).toBe(1);
    expect(result.prompts).toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^gstr-session: cannot save to .*: the folder does not exist \(ENOENT\)$/,
    );
    expect(mock.requests.length).toBe(before);
  });

  it('ends with one line and exit 1 when the save fails after the OTP, never asking again', async () => {
    const folder = join(dir, 'vanishing');
    await mkdir(folder);
    // The folder goes away while the person types the OTP.
    const result = await cli(login('--save', join(folder, 's.json')), (n) => {
      if (n === 1) execFileSync('rm', ['-rf', folder]);
      return n === 1 ? sms() : undefined;
    });
    expect(result.code).toBe(1);
    expect(result.prompts).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^gstr-session: authenticated, but cannot save to .* \(ENOENT\)$/,
    );
    expect(result.stderr).not.toContain('    at ');
  });

  it('names the host and the error code when the provider cannot be reached', async () => {
    const port = await closedPort();
    const result = await cli([...login().slice(0, 5), '--base-url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Logging in to 127.0.0.1:${port}...`);
    expect(result.stderr).toContain(
      `Could not reach 127.0.0.1:${port} while logging in to the provider (ECONNREFUSED)`,
    );
  });

  it('ends a hanging provider within --timeout, saying what it waits for', async () => {
    mock.setFault('login', { kind: 'hang' });
    try {
      const started = performance.now();
      const result = await cli(login('--timeout', '1'));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('gives up after 1 s');
      expect(result.stderr).toMatch(
        /No answer from 127\.0\.0\.1:\d+ within 1 s while logging in to the provider/,
      );
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      mock.setFault('login', undefined);
      mock.release();
    }
  });

  it('reuses a valid saved session instead of sending an OTP, unless --force', async () => {
    const file = join(dir, 'reuse.json');
    expect((await cli(login('--save', file), () => sms())).code).toBe(0);
    const before = mock.count('getOtp');
    const again = await cli(login('--save', file), () => sms());
    expect(again.code).toBe(0);
    expect(again.prompts).toBe(0);
    expect(again.stderr).toContain('reused, no OTP sent');
    expect(mock.count('getOtp')).toBe(before);
    const forced = await cli(login('--save', file, '--force'), () => sms());
    expect(forced.code).toBe(0);
    expect(mock.count('getOtp')).toBe(before + 1);
  });
});

describe('gstr-session login --provider', () => {
  let gstn: MockProvider;
  let sandbox: MockProvider;
  let certificate: string;
  beforeAll(async () => {
    gstn = await createMockProvider({ face: 'gstn' });
    sandbox = await createMockProvider({ face: 'sandbox' });
    certificate = join(dir, 'gstn.cer');
    await writeFile(certificate, gstn.certificate());
  });
  afterAll(async () => {
    await gstn.close();
    await sandbox.close();
  });
  const GSTN_ENV = {
    GSTN_CLIENT_ID: MOCK_GSTN_CLIENT.clientId,
    GSTN_CLIENT_SECRET: MOCK_GSTN_CLIENT.clientSecret,
  };
  const SANDBOX_ENV = {
    SANDBOX_API_KEY: MOCK_SANDBOX_ACCOUNT.apiKey,
    SANDBOX_API_SECRET: MOCK_SANDBOX_ACCOUNT.apiSecret,
  };
  it('logs in on GSTN direct with the certificate file and the client id from the environment', async () => {
    const file = join(dir, 'gstn-session.json');
    const result = await cli(
      loginAt(gstn.url, '--provider', 'gstn', '--certificate', certificate, '--save', file),
      () => gstn.otpFor(GSTIN) ?? '',
      GSTN_ENV,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Logging in');
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      session: { provider: string; token: { authToken: string; secrets: Record<string, string> } };
    };
    expect(saved.session.provider).toBe('gstn');
    expect(gstn.isAuthTokenValid(saved.session.token.authToken)).toBe(true);
    expect(Object.keys(saved.session.token.secrets).sort()).toEqual([
      'appKey',
      'encryptedAppKey',
      'sek',
    ]);
    expect(leakedSecrets(result.stderr, [MOCK_GSTN_CLIENT.clientSecret])).toEqual([]);
    // The saved GSTN session is reused by a GSTN login, with no OTP.
    const before = gstn.count('getOtp');
    const again = await cli(
      loginAt(gstn.url, '--provider', 'gstn', '--certificate', certificate, '--save', file),
      undefined,
      GSTN_ENV,
    );
    expect(again.code).toBe(0);
    expect(gstn.count('getOtp')).toBe(before);
  });

  it('logs in on Sandbox with the API key from the environment', async () => {
    const result = await cli(
      loginAt(sandbox.url, '--provider', 'sandbox'),
      () => sandbox.otpFor(GSTIN) ?? '',
      SANDBOX_ENV,
    );
    expect(result.code, result.stderr).toBe(0);
    const credentials = JSON.parse(result.stdout) as { provider: string; authToken: string };
    expect(credentials.provider).toBe('sandbox');
    expect(sandbox.isAuthTokenValid(credentials.authToken)).toBe(true);
  });

  it.each([
    [['--provider', 'gstn'], GSTN_ENV, '--certificate'],
    [
      ['--provider', 'gstn', '--certificate', '/no/such.cer'],
      GSTN_ENV,
      'cannot read --certificate',
    ],
    [['--provider', 'gstn', '--certificate', 'x'], {}, 'GSTN_CLIENT_ID and GSTN_CLIENT_SECRET'],
    [['--provider', 'sandbox'], {}, 'SANDBOX_API_KEY and SANDBOX_API_SECRET'],
    [['--provider', 'sandbox', '--gstr-path', '/x'], SANDBOX_ENV, '--gstr-path is a signzy option'],
    [['--provider', 'acme'], SANDBOX_ENV, '--provider must be one of signzy, gstn, sandbox'],
  ])('exits 2 before any request for %j', async (more, env, message) => {
    const before = gstn.requests.length + sandbox.requests.length;
    const result = await cli(loginAt(gstn.url, ...more), undefined, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(gstn.requests.length + sandbox.requests.length).toBe(before);
  });

  it('does not reuse a saved session of another provider', async () => {
    const file = join(dir, 'gstn-session.json');
    const result = await cli(
      loginAt(sandbox.url, '--provider', 'sandbox', '--save', file),
      () => sandbox.otpFor(GSTIN) ?? '',
      SANDBOX_ENV,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.prompts).toBe(1);
  });
});

describe('gstr-session status', () => {
  it('reads a file saved by release 0.1.0', async () => {
    const fixture = resolve(import.meta.dirname, '../fixtures/cli-session-file-v1.json');
    const result = await cli(['status', '--session', fixture, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ gstin: GSTIN, username: 'portal-user' });
  });
});

describe('gstr-session usage', () => {
  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it.each([
    [['--base-url', 'notaurl'], '--base-url must be an absolute http(s) URL'],
    [['--max-otp-attempts', 'abc'], '--max-otp-attempts must be a whole number'],
    [['--max-otp-attempts', '0'], '--max-otp-attempts must be at least 1'],
    [['--timeout', '0'], '--timeout must be at least 1'],
  ])('names the flag for %j and exits 2 without a request', async (flags, message) => {
    const before = mock.requests.length;
    const result = await cli(['login', '--gstin', GSTIN, '--username', 'u', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(mock.requests.length).toBe(before);
  });

  it.each([
    [[], 'Usage:'],
    [['frobnicate'], 'unknown command'],
    [['login', '--username', 'u'], 'login needs --gstin and --username'],
    [
      [
        'login',
        '--gstin',
        '27AAPFU0939F1ZX',
        '--username',
        'u',
        '--base-url',
        'http://127.0.0.1:9',
      ],
      '--gstin has a wrong check character',
    ],
    [['login', '--gstin', GSTIN, '--username', 'u', '--nope'], 'Unknown option'],
    [['status'], 'status needs --session FILE'],
  ])('exits 2 for %j without a request', async (args, message) => {
    const before = mock.requests.length;
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(mock.requests.length).toBe(before);
  });

  it('exits 2 when the provider credentials are not in the environment', async () => {
    const result = await cli(
      ['login', '--gstin', GSTIN, '--username', 'u', '--base-url', mock.url],
      undefined,
      {},
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GSTR_PROVIDER_PASSWORD');
  });

  it.each([['--help'], ['login', '--help'], ['status', '--help']])(
    'prints help for %j and exits 0',
    async (...args) => {
      const result = await cli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage:');
    },
  );
});
