import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wrongOtpFor } from '../../src/testing/mock/wrongOtp.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `npm start`'s script as `npm start` does, answering prompts with `answer`. */
function demo(
  args: string[],
  answer?: (prompt: string) => string,
  { closeInput = false } = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts', ...args], {
      cwd: ROOT,
    });
    if (closeInput) child.stdin.end();
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out += text;
      const prompt = text.match(/Enter the OTP .*: $/m)?.[0];
      if (prompt && answer) child.stdin.write(`${answer(prompt)}\n`);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('close', (code) => done({ code, out }));
  });
}

/** Each of `steps` appears in `out`, in that order (each found at or after the one before). */
function expectInOrder(out: string, steps: readonly string[]): void {
  let at = 0;
  for (const step of steps) {
    const found = out.indexOf(step, at);
    expect(found, `"${step}" after position ${at}`).toBeGreaterThanOrEqual(0);
    at = found;
  }
}

// The demo's token lives 8 s, twice: each run takes about 9 s. No speed is asserted here.
describe.concurrent('npm start (the demo)', { timeout: 60_000 }, () => {
  it('runs one session through its whole life on the embedded mock and exits 0', async () => {
    const { code, out } = await demo([]);
    expect(code).toBe(0);
    const order = [
      'loggingIn',
      'requestingOtp',
      'otpRequested',
      'verifyingOtp',
      'authenticated',
      's left',
      'expiring in',
      'expired',
      'OTP required (expired)',
      'credentials renewed (token changed: true)',
      'GSTR-3B summary for 042024: {',
      '"gstin":"27AAPFU0939F1ZV"',
      'the provider will refuse the token on the next read (RET11402)',
      'OTP required (expired)',
      'read again: data',
      'loggedOut',
      'done: 1 login(s), 3 OTP request(s), 3 token exchange(s), 0 password login(s), 0 refresh(es), 3 read(s)',
    ];
    expectInOrder(out, order);
    expect(out).toMatch(/^\[\+ {2}0\.\ds\] /m);
  });

  it.each([
    [
      'gstn',
      'no login',
      'done: 0 login(s), 1 OTP request(s), 1 token exchange(s), 0 password login(s), 2 refresh(es), 3 read(s)',
    ],
    [
      'sandbox',
      'its own login',
      'done: 1 login(s), 1 OTP request(s), 1 token exchange(s), 0 password login(s), 2 refresh(es), 3 read(s)',
    ],
  ])(
    'runs the same session on --provider %s, refreshing instead of a second OTP',
    async (provider, login, done) => {
      const { code, out } = await demo(['--provider', provider]);
      expect(code).toBe(0);
      const order = [
        `mock ${provider} provider`,
        login,
        'otpRequested',
        'authenticated',
        'refreshing',
        'refreshed without an OTP',
        'credentials renewed (token changed: true)',
        'loggedOut',
        done,
      ];
      expectInOrder(out, order);
    },
  );

  it.each([
    ['einvoice', 'e-invoice by IRN: {', '(1005)', 'refreshed without an OTP'],
    ['ewaybill', 'e-way bill 331001234567: {', '(238)', 'authenticating'],
  ])(
    'runs a NIC session on --provider %s: a password login, no OTP, renewed by itself',
    async (provider, read, stale, renewal) => {
      const { code, out } = await demo(['--provider', provider]);
      expect(code).toBe(0);
      const order = [
        `mock ${provider} provider`,
        'authenticating',
        'authenticated',
        renewal,
        'credentials renewed (token changed: true)',
        read,
        stale,
        'read again: data',
        'loggedOut',
        'done: 0 login(s), 0 OTP request(s), 0 token exchange(s)',
      ];
      expectInOrder(out, order);
      expect(out).not.toContain('OTP required');
    },
  );

  it('runs several taxpayers in the operator console with --console, prints its link, and stops on Ctrl-C', async () => {
    // Arrange
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts', '--console'], {
      cwd: ROOT,
    });
    let out = '';
    const link = new Promise<string>((found) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const at = out.match(/console: open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/)?.[1];
        if (at && out.includes("the mock's SMS")) found(at);
      });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((done) => child.on('close', done));

    // Act
    const signIn = await fetch(await link, { redirect: 'manual' });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const listed = (await (
      await fetch(new URL('/api/sessions', await link), { headers: { cookie } })
    ).json()) as { sessions: { username: string; state: string }[] };
    child.kill('SIGINT');
    const code = await exited;

    // Assert
    expect(signIn.status).toBe(303);
    const states = Object.fromEntries(listed.sessions.map((s) => [s.username, s.state]));
    expect(states['clerk-waiting']).toBe('otpRequested');
    expect(states['clerk-failed']).toBe('failed');
    expect(['refreshing', 'authenticated']).toContain(states['clerk-refreshing']);
    expect(states['clerk-authenticated']).toBe('authenticated');
    expect(code).toBe(0);
    expect(out).toContain('stopping');
  });

  it('refuses an unknown --provider with the usage, as a usage error', async () => {
    const { code, out } = await demo(['--provider', 'acme']);
    expect(code).toBe(2);
    expect(out).toContain('--provider must be one of signzy, gstn, sandbox');
    expect(out).toContain('Usage:');
  });

  it('prints its usage with --help, and refuses an unknown flag with it', async () => {
    const help = await demo(['--help']);
    const unknown = await demo(['--frobnicate']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^npm start: /);
    expect(help.out).toContain('--interactive');
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain("Unknown option '--frobnicate'");
    expect(unknown.out).toContain('Usage:');
    expect(unknown.out).not.toContain('TypeError');
  });

  it('exits 1 when standard input closes before an OTP is typed, instead of hanging', async () => {
    const { code, out } = await demo(['--interactive'], undefined, { closeInput: true });
    expect(code).toBe(1);
    expect(out).toContain('no OTP was typed: standard input was closed');
  });

  it('lets a person type the OTP with --interactive', async () => {
    const { code, out } = await demo(
      ['--interactive'],
      (prompt) => prompt.match(/SMS says (\d{6})/)?.[1] ?? '',
    );
    expect(code).toBe(0);
    // The first login, the expiry, and the token GSTN refuses mid-workflow (Signzy: a new OTP).
    expect(out.match(/Enter the OTP/g)).toHaveLength(3);
    expect(out).toContain('submitting the OTP you typed');
    expect(out).not.toContain('the mock sent by SMS');
    expect(out).toContain('credentials renewed (token changed: true)');
  });

  it('says a wrong OTP was refused before asking again', async () => {
    let asked = 0;
    const { code, out } = await demo(['--interactive'], (prompt) => {
      asked += 1;
      const sms = prompt.match(/SMS says (\d{6})/)?.[1] ?? '';
      return asked === 1 ? wrongOtpFor(sms) : sms;
    });
    expect(code).toBe(0);
    const refused = out.indexOf('that OTP was refused; 2 attempt(s) left');
    expect(refused).toBeGreaterThan(0);
    expect(out.indexOf('Enter the OTP', refused)).toBeGreaterThan(refused);
  });
});
