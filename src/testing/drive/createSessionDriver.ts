import { type SessionState, TRANSIENT_STATES } from '../../../machines/gstrSession.types.js';
import { refreshAtOf } from '../../../machines/sessionRules.js';
import { gstr3bSummary } from '../../reads/builders.js';
import type { GstrRead } from '../../reads/GstrRead.js';
import type { GstrSession } from '../../session/types.js';
import type { MockFault, MockProvider, MockRoute } from '../mock/types.js';
import { wrongOtpFor } from '../mock/wrongOtp.js';
import type { TestClock } from './createTestClock.js';

/**
 * A deadline of the session a step can move time to: the OTP's expiry, the token's lead
 * time, the retry of a failed refresh, the token's expiry.
 */
export type DriverDeadline = 'otpExpiry' | 'refreshLead' | 'refreshRetry' | 'tokenExpiry';

/** One step of a test path: a user action, a move of time, or a provider fault. */
export type DriverStep =
  | { readonly type: 'start' }
  | { readonly type: 'submitOtp'; readonly otp: 'sms' | 'wrong' | 'malformed' }
  | { readonly type: 'resendOtp' }
  | { readonly type: 'reauthenticate' }
  | { readonly type: 'logout' }
  /** GSTN refused the token held, or (`authToken`) another one: a read that lost a race. */
  | { readonly type: 'tokenRejected'; readonly authToken?: string }
  | { readonly type: 'tick' }
  | { readonly type: 'advance'; readonly ms: number }
  | { readonly type: 'advanceTo'; readonly deadline: DriverDeadline }
  /**
   * A read through the session (`session.call`), awaited; `refuseOnce` first has GSTN refuse
   * the token on that read (`RET11402`), as a token that dies mid-workflow. `concurrent`
   * sends that many reads at once (each refused once with `refuseOnce`); each outcome is
   * recorded in `calls`.
   */
  | {
      readonly type: 'call';
      readonly read?: GstrRead;
      readonly refuseOnce?: boolean;
      readonly concurrent?: number;
    }
  | { readonly type: 'suspend'; readonly ms: number }
  | { readonly type: 'suspendTo'; readonly deadline: DriverDeadline }
  | {
      readonly type: 'fault';
      readonly route: MockRoute | '*';
      readonly fault: MockFault | undefined;
    }
  /** Answers the requests held by a `hang` fault with an error status (default 503). */
  | { readonly type: 'release'; readonly status?: number };

/** Drives one session, step by step, on a {@link TestClock}, against a mock provider. */
export interface SessionDriver {
  readonly session: GstrSession;
  readonly clock: TestClock;
  readonly mock: MockProvider;
  /** How each `call` step ended: an outcome's kind (`data`...) or an error's name. */
  readonly calls: string[];
  /** Performs a step and waits until the session has settled; returns its state. */
  step(step: DriverStep): Promise<SessionState>;
  /** Performs steps in order, calling `check` after each (for per-step assertions). */
  run(
    steps: readonly DriverStep[],
    check?: (step: DriverStep, index: number) => void | Promise<void>,
  ): Promise<void>;
  /**
   * Waits (in real time, at most `timeoutMs`) until the session rests in a stable state, or
   * waits on a request that the mock newly holds with a `hang` fault (more than `hangingBefore`).
   */
  settled(hangingBefore?: number, timeoutMs?: number): Promise<SessionState>;
}

/**
 * Creates a {@link SessionDriver}. OTP events go to the machine itself (`actor.send`), so a
 * path can also exercise what the facade would refuse before the machine sees it.
 *
 * @example
 * ```ts
 * const driver = createSessionDriver({ session, clock, mock });
 * await driver.run([{ type: 'start' }, { type: 'submitOtp', otp: 'sms' }, { type: 'advanceTo', deadline: 'tokenExpiry' }]);
 * expect(driver.session.state).toBe('otpRequested');
 * ```
 */
export function createSessionDriver(parts: {
  session: GstrSession;
  clock: TestClock;
  mock: MockProvider;
}): SessionDriver {
  const { session, clock, mock } = parts;
  const actor = session.actor;

  function otpFor(kind: 'sms' | 'wrong' | 'malformed'): string {
    const sms = mock.otpFor(session.gstin) ?? '000000';
    if (kind === 'sms') return sms;
    if (kind === 'wrong') return wrongOtpFor(sms);
    return '12ab56';
  }

  function deadline(which: DriverDeadline): number {
    const { context } = actor.getSnapshot();
    if (which === 'otpExpiry') return context.otpExpiresAt ?? clock.now();
    if (which === 'refreshRetry') return context.refreshRetryAt ?? clock.now();
    const { token } = context;
    if (!token) return clock.now();
    return which === 'tokenExpiry' ? token.expiresAt : refreshAtOf(token, context.config);
  }

  /** The machine event of each step that is one event and nothing more. */
  const EVENT_OF_STEP = {
    resendOtp: 'otp.resend',
    reauthenticate: 'session.reauthenticate',
    logout: 'session.logout',
    tick: 'clock.tick',
  } as const;

  function perform(step: DriverStep): void {
    switch (step.type) {
      case 'start':
        session.start();
        break;
      case 'submitOtp':
        actor.send({ type: 'otp.submit', otp: otpFor(step.otp) });
        break;
      case 'resendOtp':
      case 'reauthenticate':
      case 'logout':
      case 'tick':
        actor.send({ type: EVENT_OF_STEP[step.type] });
        break;
      case 'tokenRejected':
        actor.send({ type: 'token.rejected', authToken: step.authToken });
        break;
      case 'advance':
        clock.advance(step.ms);
        break;
      case 'advanceTo':
        clock.advance(Math.max(0, deadline(step.deadline) - clock.now()));
        break;
      case 'suspend':
        clock.suspend(step.ms);
        break;
      case 'suspendTo':
        clock.suspend(Math.max(0, deadline(step.deadline) - clock.now()));
        break;
      case 'fault':
        mock.setFault(step.route, step.fault);
        break;
      case 'release':
        mock.release(step.status);
        break;
      case 'call':
        // Performed by step(): it awaits the read.
        break;
    }
  }

  const driver: SessionDriver = {
    session,
    clock,
    mock,
    calls: [],
    async settled(hangingBefore = 0, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const state = session.state;
        if (!TRANSIENT_STATES.has(state) || mock.hanging() > hangingBefore) return state;
        if (Date.now() > until) throw new Error(`session did not settle; still ${state}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    async step(step) {
      if (step.type === 'call') {
        const count = step.concurrent ?? 1;
        if (step.refuseOnce) {
          mock.setFault('call', { kind: 'status', status: 200, code: 'RET11402', times: count });
        }
        const outcomes = await Promise.all(
          Array.from({ length: count }, () =>
            session.call(step.read ?? gstr3bSummary('042024'), { waitTimeoutMs: 2_000 }).then(
              (result) => result.kind,
              (error: unknown) => (error as Error).name,
            ),
          ),
        );
        driver.calls.push(...outcomes);
        return driver.settled();
      }
      const stateBefore = session.state;
      const hangingBefore = mock.hanging();
      perform(step);
      // A step that left a held request alone (time moved on while it hangs) changes nothing.
      if (session.state === stateBefore && hangingBefore > 0 && mock.hanging() >= hangingBefore)
        return stateBefore;
      // A request aborted by this step may still be held for a moment: only a new hang counts.
      return driver.settled(hangingBefore);
    },
    async run(steps, check) {
      for (const [index, step] of steps.entries()) {
        await driver.step(step);
        await check?.(step, index);
      }
    },
  };
  return driver;
}
