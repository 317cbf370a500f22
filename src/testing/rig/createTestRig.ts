import { createSessionManager } from '../../manager/createSessionManager.js';
import type { SessionManager, SessionManagerOptions } from '../../manager/types.js';
import type { GstrProvider } from '../../providers/GstrProvider.js';
import { createGstrSession } from '../../session/createGstrSession.js';
import type { GstrSession, GstrSessionOptions } from '../../session/types.js';
import { createSessionDriver, type SessionDriver } from '../drive/createSessionDriver.js';
import { createTestClock, type TestClock } from '../drive/createTestClock.js';
import { createMockProvider } from '../mock/createMockProvider.js';
import { mockClient, type RigProviderOptions } from '../mock/mockClient.js';
import type { MockFaceName, MockProvider, MockProviderOptions } from '../mock/types.js';
import { wrongOtpFor } from '../mock/wrongOtp.js';

/** A GSTIN that passes the checksum, the rig's default taxpayer. */
export const RIG_GSTIN = '27AAPFU0939F1ZV';
/** The rig's default portal username. */
export const RIG_USERNAME = 'portal-user';

/** Options of {@link createTestRig}. */
export interface TestRigOptions {
  /** The one clock of the rig. Default a new test clock at 2027-01-01. */
  readonly clock?: TestClock;
  /** The mock provider's options (its clock is the rig's, its face the rig's provider). */
  readonly mock?: Omit<MockProviderOptions, 'now' | 'face'>;
  /**
   * Which provider the rig runs: `signzy` (default), `gstn` (GSTN direct, real crypto) or
   * `sandbox`; the mock speaks that provider's API. An object is read as `providerOptions` of
   * the Signzy client (the form of 0.2).
   */
  readonly provider?: MockFaceName | RigProviderOptions;
  /** Options of the provider client. */
  readonly providerOptions?: RigProviderOptions;
}

/** Options of a rig session: a session's options, with the taxpayer and provider defaulted. */
export type RigSessionOptions = Partial<Omit<GstrSessionOptions, 'clock'>>;

/** A mock provider, a client, and one clock wired into everything the rig makes. */
export interface TestRig {
  readonly clock: TestClock;
  readonly mock: MockProvider;
  /** The provider client, pointed at the mock. */
  readonly provider: GstrProvider;
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
 * Creates a test rig: the mock provider on 127.0.0.1 speaking one provider's API (Signzy,
 * GSTN direct or Sandbox), that provider's client against it, and one test clock passed to the
 * mock, the client, every session and every manager, so that hours pass in microseconds and
 * nothing disagrees on the time.
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
  const face = typeof options.provider === 'string' ? options.provider : 'signzy';
  const providerOptions = {
    ...(typeof options.provider === 'object' ? options.provider : {}),
    ...options.providerOptions,
  };
  const mock = await createMockProvider({ ...options.mock, face, now: clock.now });
  const provider = mockClient(face, mock, options.mock, providerOptions, clock.now);
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
