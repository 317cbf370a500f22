import { createSessionManager } from '../../manager/createSessionManager.js';
import type { SessionManager, SessionManagerOptions } from '../../manager/types.js';
import type { SignzyOptions } from '../../providers/signzy/options.js';
import { SignzyClient } from '../../providers/signzy/SignzyClient.js';
import { createGstrSession } from '../../session/createGstrSession.js';
import type { GstrSession, GstrSessionOptions } from '../../session/types.js';
import { createSessionDriver, type SessionDriver } from '../drive/createSessionDriver.js';
import { createTestClock, type TestClock } from '../drive/createTestClock.js';
import { createMockProvider } from '../mock/createMockProvider.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  type MockProvider,
  type MockProviderOptions,
} from '../mock/types.js';
import { wrongOtpFor } from '../mock/wrongOtp.js';

/** A GSTIN that passes the checksum, the rig's default taxpayer. */
export const RIG_GSTIN = '27AAPFU0939F1ZV';
/** The rig's default portal username. */
export const RIG_USERNAME = 'portal-user';

/** Options of {@link createTestRig}. */
export interface TestRigOptions {
  /** The one clock of the rig. Default a new test clock at 2027-01-01. */
  readonly clock?: TestClock;
  /** The mock provider's options (its clock is the rig's). */
  readonly mock?: Omit<MockProviderOptions, 'now'>;
  /** Options of the Signzy client (its base URL and clock are the rig's). */
  readonly provider?: Partial<Omit<SignzyOptions, 'baseUrl' | 'now'>>;
}

/** Options of a rig session: a session's options, with the taxpayer and provider defaulted. */
export type RigSessionOptions = Partial<Omit<GstrSessionOptions, 'clock'>>;

/** A mock provider, a client, and one clock wired into everything the rig makes. */
export interface TestRig {
  readonly clock: TestClock;
  readonly mock: MockProvider;
  readonly provider: SignzyClient;
  /** A session on the rig's provider and clock (default taxpayer {@link RIG_GSTIN}). */
  session(options?: RigSessionOptions): GstrSession;
  /** A session manager on the rig's provider and clock. */
  manager(options?: Partial<Omit<SessionManagerOptions, 'clock'>>): SessionManager;
  /** A driver for a session of this rig (model-based tests). */
  driver(session: GstrSession): SessionDriver;
  /** The OTP the taxpayer received, as the SMS shows it. */
  otp(gstin?: string): string;
  /** A six-digit OTP that is not the one the taxpayer received. */
  wrongOtp(gstin?: string): string;
  /** Stops every session and manager the rig made, and the mock. */
  close(): Promise<void>;
}

/**
 * Creates a test rig: the mock provider on 127.0.0.1, a Signzy client against it, and one
 * test clock passed to the mock, the client, every session and every manager, so that hours
 * pass in microseconds and nothing disagrees on the time.
 *
 * @example
 * ```ts
 * const rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
 * const session = rig.session();
 * session.start();
 * await session.submitOtp('575757');
 * rig.clock.advance(6 * 60 * 60_000); // the token's six hours
 * await rig.close();
 * ```
 */
export async function createTestRig(options: TestRigOptions = {}): Promise<TestRig> {
  const clock = options.clock ?? createTestClock();
  const mock = await createMockProvider({ ...options.mock, now: clock.now });
  const provider = new SignzyClient({
    ...MOCK_DEFAULT_ACCOUNT,
    retry: { limit: 1, backoffLimitMs: 5 },
    ...(options.mock?.refreshTask ? { refreshTask: options.mock.refreshTask } : {}),
    ...(options.mock?.tokenLifetimeUnit ? { expiryUnit: options.mock.tokenLifetimeUnit } : {}),
    ...options.provider,
    baseUrl: mock.url,
    now: clock.now,
  });
  const sessions: GstrSession[] = [];
  const managers: SessionManager[] = [];
  return {
    clock,
    mock,
    provider,
    session(sessionOptions = {}) {
      const session = createGstrSession({
        provider,
        gstin: RIG_GSTIN,
        username: RIG_USERNAME,
        ...sessionOptions,
        clock,
      });
      sessions.push(session);
      return session;
    },
    manager(managerOptions = {}) {
      const manager = createSessionManager({ provider, ...managerOptions, clock });
      managers.push(manager);
      return manager;
    },
    driver: (session) => createSessionDriver({ session, clock, mock }),
    otp(gstin = RIG_GSTIN) {
      const otp = mock.otpFor(gstin);
      if (!otp) throw new Error(`the mock has no pending OTP for ${gstin}`);
      return otp;
    },
    wrongOtp: (gstin = RIG_GSTIN) => wrongOtpFor(mock.otpFor(gstin)),
    async close() {
      for (const session of sessions) session.stop();
      await Promise.all(managers.map((m) => m.close()));
      await mock.close();
    },
  };
}
