import { startConsole } from '../console/startConsole.js';
import { startInspector } from '../inspection/startInspector.js';
import { createSessionManager } from '../manager/createSessionManager.js';
import { memoryStore } from '../stores/memoryStore.js';
import { createMockProvider } from '../testing/mock/createMockProvider.js';
import { mockClient } from '../testing/mock/mockClient.js';
import type { MockFaceName } from '../testing/mock/types.js';

/** The demo's taxpayers: most on one GSTIN, the one waiting for an OTP on its own. */
const GSTIN = '27AAPFU0939F1ZV';
const WAITING_GSTIN = '33GSPTN0231G1ZM';
/** A demo token's life: refreshed every half minute or so. */
const TOKEN_SECONDS = 60;
/** How long the mock takes to refresh, so that `refreshing` can be seen. */
const REFRESH_DELAY_MS = 8_000;

/**
 * `npm start -- --console`: several taxpayers on the mock in the states an operator meets (one
 * authenticated, one refreshing, one waiting for an OTP, one failed), a manager over them, the
 * operator console and the inspector; prints the console's sign-in link and runs until Ctrl-C.
 */
export async function runConsoleDemo(
  face: MockFaceName,
  say: (what: string) => void,
): Promise<void> {
  const mockOptions = { tokenLifetime: TOKEN_SECONDS, tokenLifetimeUnit: 'seconds' } as const;
  const mock = await createMockProvider({ ...mockOptions, face });
  const provider = mockClient(face, mock, mockOptions, {}, Date.now);
  const inspector = await startInspector();
  const manager = createSessionManager({
    provider,
    store: memoryStore(),
    refreshLeadMs: 20_000,
    refreshJitterMs: 5_000,
    clockCheckMs: 1_000,
    inspect: inspector.inspect,
    dormant: false,
  });
  // The console first, so that its figures count the SMS and rounds of the setup below.
  const operator = await startConsole({ manager, inspectorUrl: inspector.url });
  say(
    `mock ${face} provider on ${mock.url}; ${provider.name} can refresh: ${provider.capabilities.refresh}`,
  );

  const authenticate = async (gstin: string, username: string) => {
    const session = manager.get(gstin, username);
    session.start();
    await session.once('otp.required');
    await session.submitOtp(mock.otpFor(gstin) ?? '');
  };
  await authenticate(GSTIN, 'clerk-authenticated');
  await authenticate(GSTIN, 'clerk-refreshing');
  // The provider down for one OTP request: that session fails.
  mock.setFault('getOtp', { kind: 'status', status: 503 });
  const failed = manager.get(GSTIN, 'clerk-failed');
  failed.start();
  await failed.once('session.failed').catch(() => undefined);
  mock.setFault('getOtp', undefined);
  // One taxpayer got an SMS and has not read it out yet.
  const waiting = manager.get(WAITING_GSTIN, 'clerk-waiting');
  waiting.start();
  await waiting.once('otp.required');
  // Refreshes take a while on this mock; GSTN refuses one token now, and its refresh begins.
  mock.setFault('refreshToken', { kind: 'delay', ms: REFRESH_DELAY_MS });
  manager.get(GSTIN, 'clerk-refreshing').reportTokenRejected();
  await manager.flush();

  say(`console: open ${operator.newLink()} (a one-time link; Ctrl-C to stop)`);
  say(`inspector: ${inspector.url}`);
  say(
    `the mock's SMS to ${WAITING_GSTIN} says ${mock.otpFor(WAITING_GSTIN)}: type it into the console for clerk-waiting`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  say('stopping');
  await operator.close();
  await manager.close();
  await inspector.close();
  await mock.close();
}
