/**
 * `npm start`: one GSTR session through its whole life against the embedded mock provider
 * on 127.0.0.1, with no credentials and no network. `--interactive` lets a person type the
 * OTP; otherwise the mock's SMS is read and submitted. `--provider gstn|sandbox` runs the same
 * session on GSTN direct (real crypto) or Sandbox.co.in instead of Signzy; `--provider
 * einvoice|ewaybill` runs a NIC session, which logs in with a password and has no OTP.
 */
import { parseArgs } from 'node:util';
import { createLineReader } from '../cli/lineReader.js';
import { isGstrError } from '../errors/isGstrError.js';
import { startInspector } from '../inspection/startInspector.js';
import { gstr3bSummary } from '../reads/builders.js';
import type { SessionRead } from '../reads/NicRead.js';
import { ewayBill, irnDetails } from '../reads/nicBuilders.js';
import type { ProviderName } from '../registry/providers.js';
import { createGstrSession } from '../session/createGstrSession.js';
import { createMockProvider } from '../testing/mock/createMockProvider.js';
import { mockClient } from '../testing/mock/mockClient.js';
import { MOCK_FACES, MOCK_NIC_FACES, type MockFaceName } from '../testing/mock/types.js';
import { runConsoleDemo } from './consoleDemo.js';

const GSTIN = '27AAPFU0939F1ZV';
const TOKEN_SECONDS = 8;
const started = Date.now();

function say(what: string): void {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[+${t}s] ${what}`);
}

const MEANING: Record<string, string> = {
  loggingIn: 'logging in to the provider with the API credentials',
  authenticating: "logging in with the taxpayer's API password (NIC: no OTP, no person)",
  requestingOtp: 'asking the provider to send an OTP by SMS to the taxpayer',
  otpRequested: 'an OTP is on its way; waiting for it to be typed in',
  verifyingOtp: 'exchanging the OTP for a GSTR auth token',
  refreshing: 'refreshing the auth token, without an OTP',
  authenticated: 'authenticated: holding a valid auth token',
  expired:
    'the auth token expired; re-authenticating (auto mode): a new OTP, or on NIC a password login',
  loggingOut: 'logging out and clearing every secret',
  loggedOut: 'logged out',
  failed: 'the session failed',
  otpExpired: 'the OTP expired before it was used',
};

const USAGE = `npm start: one GSTR session through its whole life, on the embedded mock provider
(a real HTTP server on 127.0.0.1; no credentials, no network).

Usage:
  npm start [-- options]

Options:
  --provider NAME   ${[...MOCK_FACES, ...MOCK_NIC_FACES].join(', ')} (default signzy): which
                    provider's API the mock speaks (einvoice and ewaybill: NIC, no OTP)
  --interactive     type the OTP yourself (the mock's SMS is shown in the question)
  --inspect         also serve a live state inspector on http://127.0.0.1:7777/
  --console         several taxpayers (one needs an OTP, one refreshing, one failed) in the
                    operator console; prints its link (default provider gstn; Ctrl-C to stop)
  --help            print this and exit`;

/** A wrong command line: said with the usage, exit code 2 (as the CLI does). */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

function optionsOf(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        interactive: { type: 'boolean', default: false },
        inspect: { type: 'boolean', default: false },
        console: { type: 'boolean', default: false },
        provider: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    // node:util says e.g. "Unknown option '--x'": keep its words, add the usage.
    throw new UsageError((error as Error).message);
  }
}

/** The demo's read on each face, what it is, and the code that refuses a stale token there. */
function demoReadOf(face: MockFaceName): { read: SessionRead; what: string; stale: string } {
  if (face === 'einvoice')
    return { read: irnDetails('ab'.repeat(32)), what: 'e-invoice by IRN', stale: '1005' };
  if (face === 'ewaybill')
    return { read: ewayBill('331001234567'), what: 'e-way bill 331001234567', stale: '238' };
  return { read: gstr3bSummary('042024'), what: 'GSTR-3B summary for 042024', stale: 'RET11402' };
}

async function main(): Promise<void> {
  const values = optionsOf(process.argv.slice(2));
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // The console's demo needs a provider that refreshes: GSTN direct unless another is asked.
  const face = (values.provider ?? (values.console ? 'gstn' : 'signzy')) as MockFaceName;
  const faces: readonly MockFaceName[] = [...MOCK_FACES, ...MOCK_NIC_FACES];
  if (!faces.includes(face)) {
    throw new UsageError(`--provider must be one of ${faces.join(', ')}`);
  }
  if (values.console) {
    if (!MOCK_FACES.includes(face as ProviderName))
      throw new UsageError(
        `--console shows OTP sessions: --provider must be one of ${MOCK_FACES.join(', ')}`,
      );
    await runConsoleDemo(face as ProviderName, say);
    return;
  }
  const inspector = values.inspect
    ? await startInspector({ port: 7777 }).catch(() => startInspector())
    : undefined;
  if (inspector) say(`inspector: open ${inspector.url} (Ctrl-C to stop)`);
  const mockOptions = { tokenLifetime: TOKEN_SECONDS, tokenLifetimeUnit: 'seconds' } as const;
  const mock = await createMockProvider({ ...mockOptions, face });
  say(`mock ${face} provider listening on ${mock.url} (a real HTTP server on loopback)`);
  const provider = mockClient(face, mock, mockOptions, {}, Date.now);
  const { login, refresh } = provider.capabilities;
  say(
    `provider ${provider.name}: ${login ? 'its own login' : 'no login (client id and secret on every call)'}, ${refresh ? 'refreshes tokens without an OTP' : 'no refresh (a new OTP at expiry)'}`,
  );
  const session = createGstrSession({
    provider,
    gstin: GSTIN,
    username: 'demo-taxpayer',
    refreshLeadMs: 3_000,
    refreshJitterMs: 0,
    clockCheckMs: 1_000,
    // Microsteps show every state, also the transient `expired` that auto mode passes through.
    inspect: (event) => {
      inspector?.inspect(event);
      if (event.type !== '@xstate.microstep' || event.actorRef.sessionId !== event.rootId) return;
      const state = String((event.snapshot as { value?: unknown }).value);
      if (state !== lastState) say(`${state.padEnd(14)} ${MEANING[state] ?? ''}`);
      lastState = state;
    },
  });
  let lastState = 'loggedOut';
  // A line reader buffers what arrives before the question: a piped OTP is never lost.
  const reader = values.interactive ? createLineReader(process.stdin, process.stdout) : undefined;

  let rounds = 0;
  const secondRound = new Promise<void>((resolve) => {
    session.on('session.authenticated', ({ expiresAt, refreshed }) => {
      rounds += 1;
      say(
        `               ${refreshed ? 'refreshed without an OTP; ' : ''}token valid for ${((expiresAt - Date.now()) / 1000).toFixed(1)} s (a demo lifetime; GSTN's is 6 h)`,
      );
      if (rounds === 2) resolve();
    });
  });
  session.on('otp.required', async ({ reason, attemptsLeft }) => {
    // The refusal of a wrong OTP is said before the next question.
    if (reason === 'rejected')
      say(`               that OTP was refused; ${attemptsLeft} attempt(s) left`);
    if (!reader) {
      say(`               OTP required (${reason}); submitting the OTP the mock sent by SMS`);
    }
    const typed = reader
      ? await reader.ask(
          `Enter the OTP sent for ${GSTIN} (the mock's SMS says ${mock.otpFor(GSTIN)}): `,
        )
      : mock.otpFor(GSTIN);
    if (typed === undefined) {
      // Nobody is left to type an OTP: waiting on would hang. Exit 1, as the CLI does.
      console.error('no OTP was typed: standard input was closed');
      session.stop();
      await mock.close();
      process.exit(1);
    }
    if (reader) say(`               OTP required (${reason}); submitting the OTP you typed`);
    await session.submitOtp(typed.trim()).catch((error: unknown) => {
      // A wrong OTP was already said (the next question follows); anything else is said here.
      if (!isGstrError(error, 'OtpRejectedError'))
        say(`               ${(error as Error).message}`);
    });
  });
  session.on('session.expiring', ({ expiresAt }) => {
    say(`               expiring in ${((expiresAt - Date.now()) / 1000).toFixed(1)} s`);
  });

  session.start();
  // A person may take as long as the OTP is valid; the demo on its own needs seconds.
  const waitMs = reader ? session.snapshot.context.config.otpValidityMs + 60_000 : 20_000;
  const first = await session.credentials({ timeoutMs: waitMs });
  const countdown = setInterval(() => {
    const left = Math.max(0, (first.expiresAt - Date.now()) / 1000);
    if (session.state === 'authenticated' && rounds === 1)
      say(`               ${left.toFixed(0)} s left`);
  }, 2_000);
  await secondRound;
  clearInterval(countdown);
  const again = await session.credentials({ timeoutMs: waitMs });
  say(`credentials renewed (token changed: ${again.authToken !== first.authToken})`);

  // What the session is for: reading returns (or e-invoices, e-way bills), without the app
  // touching a token.
  const { read, what, stale } = demoReadOf(face);
  const summary = await session.call(read, { waitTimeoutMs: waitMs });
  say(`${what}: ${summary.kind === 'data' ? JSON.stringify(summary.data) : summary.kind}`);
  // The token is refused once, mid-workflow: the session renews it by itself (a refresh or a
  // login where the provider can, else a new OTP) and the read is retried once.
  mock.setFault('call', { kind: 'status', status: 200, code: stale, times: 1 });
  say(`the provider will refuse the token on the next read (${stale})`);
  const retried = await session.call(read, { waitTimeoutMs: waitMs });
  say(
    `read again: ${retried.kind}; the refused token cost the app no code (${mock.count('call')} read requests)`,
  );
  await session.logout();
  reader?.close();
  say(
    `done: ${mock.count('login')} login(s), ${mock.count('getOtp')} OTP request(s), ${mock.count('getAuthToken')} token exchange(s), ${mock.count('authenticate')} password login(s), ${mock.count('refreshToken')} refresh(es), ${mock.count('call')} read(s)`,
  );
  if (inspector) {
    say(
      `the inspector stays up at ${inspector.url}; the session runs on and re-authenticates every ${TOKEN_SECONDS} s (the demo token's lifetime). Ctrl-C to stop.`,
    );
    session.start();
    const again = setInterval(() => session.start(), 20_000);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    clearInterval(again);
    session.stop();
    await inspector.close();
  }
  await mock.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
