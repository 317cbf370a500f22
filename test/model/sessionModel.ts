import { and, assign, not, setup } from 'xstate';

/**
 * A pure model of the session as a user and a provider see it: no requests, no timers. Each
 * model event is one thing a test does (a user action, a move of time, a provider fault);
 * each model state is the state the real session must then rest in. The model-based test
 * walks this model's graph and replays every path against the real session.
 */

/** The model's limits; the real session under test is configured with the same. */
export const MODEL_LIMITS = { maxOtpAttempts: 2, maxOtpResends: 1, maxRefreshRetries: 2 } as const;

/** How many reads CALLS_REFUSED sends at once, each refused once. */
export const CONCURRENT_READS = 3;

export interface ModelContext {
  /** The provider offers a token refresh. */
  readonly refresh: boolean;
  /** The provider has a login of its own (Signzy, Sandbox; not GSTN direct). */
  readonly login: boolean;
  /** `reauth: 'auto'`. */
  readonly auto: boolean;
  readonly otpValid: boolean;
  readonly attempts: number;
  readonly resends: number;
  readonly token: boolean;
  readonly notified: boolean;
  readonly refreshFailed: boolean;
  /** Failed refreshes of the current token (each tried again while retries are left). */
  readonly failures: number;
  /** A failed refresh waits for its retry. */
  readonly retrying: boolean;
  /** Every provider route answers 503. */
  readonly down: boolean;
  /** The next request hangs. */
  readonly hang: boolean;
  /** The wall clock jumped past every deadline without a timer running. */
  readonly slept: boolean;
  /** The token's expiry passed while its refresh hung. */
  readonly expiredWhileHung: boolean;
  /** The wall clock reached the lead time without a timer running. */
  readonly dozed: boolean;
  /** The provider will refuse the access token on the next token exchange, even after a re-login. */
  readonly revoked: boolean;
  /** GSTN will answer the next token exchange with AUTH4037 (API access off on the portal). */
  readonly accessOff: boolean;
  /** GSTN will refuse the token on the next refresh (AUTH4038). */
  readonly refreshRejected: boolean;
  /** Side effects the provider must have seen (not part of the state's identity). */
  readonly otpRequests: number;
  readonly verifies: number;
  readonly refreshes: number;
  /** Reads sent to the provider. */
  readonly calls: number;
}

/** What a model is made for: the provider's capabilities and the session's mode. */
export interface ModelInput {
  readonly refresh: boolean;
  readonly login: boolean;
  readonly auto: boolean;
}

export type ModelEvent =
  | { type: 'START' }
  | { type: 'REAUTH' }
  | { type: 'SUBMIT_RIGHT' }
  | { type: 'SUBMIT_WRONG' }
  | { type: 'SUBMIT_MALFORMED' }
  | { type: 'RESEND' }
  | { type: 'LOGOUT' }
  | { type: 'TOKEN_REJECTED' }
  | { type: 'TICK' }
  | { type: 'WAIT_CHECK' }
  | { type: 'WAIT_OTP_EXPIRY' }
  | { type: 'WAIT_LEAD' }
  | { type: 'WAIT_EXPIRY' }
  | { type: 'SLEEP' }
  | { type: 'DOWN' }
  | { type: 'UP' }
  | { type: 'HANG' }
  | { type: 'REVOKE' }
  | { type: 'ACCESS_OFF' }
  | { type: 'CALL' }
  | { type: 'CALL_REFUSED' }
  | { type: 'CALLS_REFUSED' }
  | { type: 'STALE_REJECTED' }
  | { type: 'WAIT_RETRY' }
  | { type: 'DOZE_RETRY' }
  | { type: 'REFRESH_REJECTED' }
  | { type: 'DOZE' }
  | { type: 'RELEASE' };

export const MODEL_EVENTS: readonly ModelEvent[] = [
  'START',
  'REAUTH',
  'SUBMIT_RIGHT',
  'SUBMIT_WRONG',
  'SUBMIT_MALFORMED',
  'RESEND',
  'LOGOUT',
  'TOKEN_REJECTED',
  'TICK',
  'WAIT_CHECK',
  'WAIT_OTP_EXPIRY',
  'WAIT_LEAD',
  'WAIT_EXPIRY',
  'SLEEP',
  'DOWN',
  'UP',
  'HANG',
  'REVOKE',
  'ACCESS_OFF',
  'CALL',
  'CALL_REFUSED',
  'CALLS_REFUSED',
  'STALE_REJECTED',
  'WAIT_RETRY',
  'DOZE_RETRY',
  'REFRESH_REJECTED',
  'DOZE',
  'RELEASE',
].map((type) => ({ type }) as ModelEvent);

const cleared = {
  expiredWhileHung: false,
  otpValid: false,
  attempts: 0,
  resends: 0,
  token: false,
  notified: false,
  refreshFailed: false,
  failures: 0,
  retrying: false,
  slept: false,
};

/** The toggles every resting state accepts. */
const toggles = {
  DOWN: { guard: 'canGoDown', actions: 'goDown' },
  UP: { guard: 'isDown', actions: 'goUp' },
  HANG: { guard: 'canHang', actions: 'armHang' },
} as const;

export const sessionModel = setup({
  types: {
    context: {} as ModelContext,
    events: {} as ModelEvent,
    input: {} as ModelInput,
  },
  guards: {
    isDown: ({ context }) => context.down,
    isHang: ({ context }) => context.hang,
    isSlept: ({ context }) => context.slept,
    canGoDown: ({ context }) => !context.down && !context.hang,
    canHang: ({ context }) => !context.down && !context.hang,
    canSleep: ({ context }) => !context.slept && !context.down && !context.hang,
    canLogout: ({ context }) => !context.hang,
    isRevoked: ({ context }) => context.revoked,
    isAccessOff: ({ context }) => context.accessOff,
    // A read goes out at once only from a quiet authenticated session (no fault, no sleep).
    canCall: ({ context }) =>
      !context.down && !context.hang && !context.slept && !context.dozed && !context.revoked,
    canCallRefused: ({ context }) =>
      context.refresh &&
      !context.refreshFailed &&
      !context.down &&
      !context.hang &&
      !context.slept &&
      !context.dozed &&
      !context.revoked,
    isRefreshRejected: ({ context }) => context.refreshRejected,
    canArmRefreshRejection: ({ context }) =>
      context.refresh &&
      !context.refreshFailed &&
      !context.notified &&
      !context.refreshRejected &&
      !context.slept &&
      !context.dozed &&
      !context.down &&
      !context.hang,
    isDozed: ({ context }) => context.dozed,
    hasExpiredWhileHung: ({ context }) => context.expiredWhileHung,
    canDoze: ({ context }) =>
      !context.notified && !context.slept && !context.dozed && !context.down,
    hasLogin: ({ context }) => context.login,
    canRevokeAccess: ({ context }) =>
      context.login &&
      !context.revoked &&
      !context.accessOff &&
      !context.down &&
      !context.hang &&
      !context.slept,
    canRevoke: ({ context }) =>
      !context.revoked && !context.accessOff && !context.down && !context.hang && !context.slept,
    hasValidOtp: ({ context }) => context.otpValid && !context.slept,
    hasAttemptsLeft: ({ context }) => context.attempts + 1 < MODEL_LIMITS.maxOtpAttempts,
    canResend: ({ context }) => context.resends < MODEL_LIMITS.maxOtpResends,
    isAuto: ({ context }) => context.auto,
    canRefresh: ({ context }) => context.refresh && !context.refreshFailed,
    // The retry's time comes (time moves to it): the sleeping and dozing cases are time's own.
    canWaitRetry: ({ context }) =>
      context.retrying && !context.refreshFailed && !context.slept && !context.dozed,
    canWaitLead: ({ context }) => !context.notified && !context.slept,
    canWaitExpiry: ({ context }) => !(context.refresh && !context.refreshFailed) || context.slept,
  },
  actions: {
    // A named no-op: `snapshot.can()` counts a targetless transition only when it has an action.
    stay: () => {},
    goDown: assign({ down: true }),
    goUp: assign({ down: false }),
    armHang: assign({ hang: true }),
    useHang: assign({ hang: false }),
    sleep: assign({ slept: true }),
    clear: assign(cleared),
    newRound: assign({ attempts: 0, resends: 0 }),
    countResend: assign(({ context }) => ({ resends: context.resends + 1 })),
    countOtpRequest: assign(({ context }) => ({ otpRequests: context.otpRequests + 1 })),
    issueOtp: assign({ otpValid: true, attempts: 0, slept: false }),
    countVerify: assign(({ context }) => ({ verifies: context.verifies + 1 })),
    revoke: assign({ revoked: true }),
    armAccessOff: assign({ accessOff: true }),
    countCall: assign(({ context }) => ({ calls: context.calls + 1 })),
    // Refused once, refreshed, read again: two reads and one refresh.
    countRefusedCall: assign(({ context }) => ({
      calls: context.calls + 2,
      refreshes: context.refreshes + 1,
    })),
    // Several reads refused at once: one refresh, and each read sent twice.
    countConcurrentRefusedCalls: assign(({ context }) => ({
      calls: context.calls + 2 * CONCURRENT_READS,
      refreshes: context.refreshes + 1,
    })),
    failAccessOff: assign(({ context }) => ({
      verifies: context.verifies + 1,
      accessOff: false,
      otpValid: false,
    })),
    armRefreshRejected: assign({ refreshRejected: true }),
    useRefreshRejected: assign(({ context }) => ({
      refreshes: context.refreshes + 1,
      refreshRejected: false,
    })),
    doze: assign({ dozed: true }),
    expireWhileHung: assign({ expiredWhileHung: true }),
    wake: assign({ dozed: false }),
    failUnauthorized: assign(({ context }) => ({
      verifies: context.verifies + 2,
      revoked: false,
      otpValid: false,
    })),
    countAttempt: assign(({ context }) => ({ attempts: context.attempts + 1 })),
    expireOtp: assign({ otpValid: false }),
    issueToken: assign({
      token: true,
      otpValid: false,
      attempts: 0,
      resends: 0,
      notified: false,
      refreshFailed: false,
      failures: 0,
      retrying: false,
      slept: false,
    }),
    countRefresh: assign(({ context }) => ({ refreshes: context.refreshes + 1 })),
    notify: assign({ notified: true }),
    // A refresh failed for want of the provider: tried again while retries are left.
    failRefresh: assign(({ context }) => {
      const failures = context.failures + 1;
      const spent = failures > MODEL_LIMITS.maxRefreshRetries;
      return { notified: true, failures, retrying: !spent, refreshFailed: spent };
    }),
    dropToken: assign({
      token: false,
      notified: false,
      refreshFailed: false,
      failures: 0,
      retrying: false,
      slept: false,
      expiredWhileHung: false,
    }),
  },
}).createMachine({
  id: 'sessionModel',
  context: ({ input }) => ({
    refresh: input.refresh,
    login: input.login,
    auto: input.auto,
    ...cleared,
    down: false,
    hang: false,
    revoked: false,
    accessOff: false,
    refreshRejected: false,
    dozed: false,
    otpRequests: 0,
    verifies: 0,
    refreshes: 0,
    calls: 0,
  }),
  initial: 'loggedOut',
  states: {
    loggedOut: {
      on: { START: 'login', REAUTH: 'login', ...toggles },
    },
    login: {
      // A provider without a login goes straight on to the OTP request (and its faults).
      always: [
        {
          guard: and(['hasLogin', 'isHang']),
          target: 'loggingIn',
          actions: ['useHang', 'newRound'],
        },
        { guard: and(['hasLogin', 'isDown']), target: 'failed', actions: 'newRound' },
        { target: 'requestOtp', actions: 'newRound' },
      ],
    },
    loggingIn: {
      on: {
        LOGOUT: { target: 'loggedOut', actions: 'clear' },
        // A 503 on login is retried, and the retry goes through.
        RELEASE: 'requestOtp',
      },
    },
    requestOtp: {
      always: [
        { guard: 'isHang', target: 'requestingOtp', actions: ['useHang', 'countOtpRequest'] },
        { guard: { type: 'isDown' }, target: 'downOtp', actions: 'countOtpRequest' },
        { target: 'otpRequested', actions: ['countOtpRequest', 'issueOtp'] },
      ],
    },
    downOtp: {
      always: [
        { guard: 'hasValidOtp', target: 'otpRequested' },
        { target: 'failed', actions: 'expireOtp' },
      ],
    },
    requestingOtp: {
      on: {
        LOGOUT: { target: 'loggedOut', actions: 'clear' },
        // A 503 on an OTP request is never re-sent.
        RELEASE: 'downOtp',
      },
    },
    otpRequested: {
      on: {
        SUBMIT_RIGHT: [
          { guard: 'isRevoked', target: 'failed', actions: 'failUnauthorized' },
          { guard: 'isAccessOff', target: 'failed', actions: 'failAccessOff' },
          { guard: 'isSlept', target: 'otpExpired', actions: 'expireOtp' },
          { guard: 'isHang', target: 'verifyingOtp', actions: ['useHang', 'countVerify'] },
          { guard: 'isDown', actions: 'countVerify' },
          { target: 'authenticated', actions: ['countVerify', 'issueToken'] },
        ],
        // A wrong OTP with a hang armed is not modelled (it would only hang like a right one).
        SUBMIT_WRONG: [
          { guard: and([not('isHang'), 'isSlept']), target: 'otpExpired', actions: 'expireOtp' },
          { guard: and([not('isHang'), 'isDown']), actions: 'countVerify' },
          {
            guard: and([not('isHang'), 'hasAttemptsLeft']),
            actions: ['countVerify', 'countAttempt'],
          },
          {
            guard: not('isHang'),
            target: 'failed',
            actions: ['countVerify', 'countAttempt', 'expireOtp'],
          },
        ],
        REVOKE: { guard: 'canRevokeAccess', actions: 'revoke' },
        ACCESS_OFF: { guard: 'canRevoke', actions: 'armAccessOff' },
        SUBMIT_MALFORMED: [
          { guard: 'isSlept', target: 'otpExpired', actions: 'expireOtp' },
          { actions: 'stay' },
        ],
        RESEND: [
          { guard: 'canResend', target: 'requestOtp', actions: 'countResend' },
          { actions: 'stay' },
        ],
        WAIT_CHECK: [
          { guard: 'isSlept', target: 'otpExpired', actions: 'expireOtp' },
          { actions: 'stay' },
        ],
        TICK: [
          { guard: 'isSlept', target: 'otpExpired', actions: 'expireOtp' },
          { actions: 'stay' },
        ],
        WAIT_OTP_EXPIRY: { target: 'otpExpired', actions: 'expireOtp' },
        SLEEP: { guard: 'canSleep', actions: 'sleep' },
        LOGOUT: { guard: 'canLogout', target: 'loggedOut', actions: 'clear' },
        ...toggles,
      },
    },
    otpExpired: {
      entry: assign({ slept: false }),
      on: {
        RESEND: [
          { guard: 'canResend', target: 'requestOtp', actions: 'countResend' },
          { actions: 'stay' },
        ],
        REAUTH: { target: 'requestOtp', actions: 'newRound' },
        SUBMIT_RIGHT: { actions: 'stay' },
        LOGOUT: { guard: 'canLogout', target: 'loggedOut', actions: 'clear' },
        ...toggles,
      },
    },
    verifyingOtp: {
      on: {
        LOGOUT: { target: 'loggedOut', actions: 'clear' },
        // A 503 on the exchange: the OTP may still be good, so it is asked for again.
        RELEASE: 'otpRequested',
      },
    },
    authenticated: {
      on: {
        WAIT_LEAD: { guard: 'canWaitLead', target: 'lead' },
        WAIT_EXPIRY: { guard: 'canWaitExpiry', target: 'expired' },
        WAIT_CHECK: [
          { guard: 'isSlept', target: 'expired' },
          { guard: 'isDozed', target: 'lead', actions: 'wake' },
          { actions: 'stay' },
        ],
        TICK: [
          { guard: 'isSlept', target: 'expired' },
          { guard: 'isDozed', target: 'lead', actions: 'wake' },
          { actions: 'stay' },
        ],
        DOZE: { guard: 'canDoze', actions: 'doze' },
        REFRESH_REJECTED: { guard: 'canArmRefreshRejection', actions: 'armRefreshRejected' },
        CALL: { guard: 'canCall', actions: 'countCall' },
        CALL_REFUSED: { guard: 'canCallRefused', actions: ['countRefusedCall', 'issueToken'] },
        // A refusal that names a token the session no longer holds (a late read) changes nothing.
        STALE_REJECTED: { actions: 'stay' },
        WAIT_RETRY: { guard: 'canWaitRetry', target: 'refresh' },
        // The wall clock reaches the retry without its timer: the next check refreshes (via
        // the lead, which refreshes a token that can be).
        DOZE_RETRY: { guard: 'canWaitRetry', actions: 'doze' },
        CALLS_REFUSED: {
          guard: 'canCallRefused',
          actions: ['countConcurrentRefusedCalls', 'issueToken'],
        },
        // A refused token is refreshed where the provider can (and the token has not run out).
        TOKEN_REJECTED: [
          { guard: and(['canRefresh', not('isSlept')]), target: 'refresh' },
          { target: 'expired' },
        ],
        SLEEP: { guard: 'canSleep', actions: 'sleep' },
        LOGOUT: { guard: 'canLogout', target: 'loggedOut', actions: 'clear' },
        ...toggles,
      },
    },
    lead: {
      always: [
        { guard: 'canRefresh', target: 'refresh' },
        { target: 'authenticated', actions: 'notify' },
      ],
    },
    refresh: {
      always: [
        { guard: 'isRefreshRejected', target: 'expired', actions: 'useRefreshRejected' },
        { guard: 'isHang', target: 'refreshing', actions: ['useHang', 'countRefresh', 'notify'] },
        { guard: 'isDown', target: 'authenticated', actions: ['countRefresh', 'failRefresh'] },
        { target: 'authenticated', actions: ['countRefresh', 'issueToken'] },
      ],
    },
    refreshing: {
      on: {
        LOGOUT: { target: 'loggedOut', actions: 'clear' },
        // A refusal of the token this refresh is replacing changes nothing.
        TOKEN_REJECTED: { actions: 'stay' },
        WAIT_EXPIRY: { guard: not('hasExpiredWhileHung'), actions: 'expireWhileHung' },
        RELEASE: [
          { guard: 'hasExpiredWhileHung', target: 'expired', actions: 'failRefresh' },
          { target: 'authenticated', actions: 'failRefresh' },
        ],
      },
    },
    expired: {
      entry: 'dropToken',
      always: { guard: 'isAuto', target: 'requestOtp', actions: 'newRound' },
      on: {
        REAUTH: { target: 'requestOtp', actions: 'newRound' },
        LOGOUT: { guard: 'canLogout', target: 'loggedOut', actions: 'clear' },
        ...toggles,
      },
    },
    failed: {
      on: {
        START: 'login',
        REAUTH: 'login',
        LOGOUT: { guard: 'canLogout', target: 'loggedOut', actions: 'clear' },
        ...toggles,
      },
    },
  },
});

/**
 * The events a path may take from a model state: those the model handles there. With a
 * revocation armed, only the token exchange that consumes it, so that it never lingers.
 */
export function modelEvents(snapshot: {
  context: ModelContext;
  can(event: ModelEvent): boolean;
}): ModelEvent[] {
  if (snapshot.context.revoked || snapshot.context.accessOff) return [{ type: 'SUBMIT_RIGHT' }];
  if (snapshot.context.refreshRejected) return [{ type: 'WAIT_LEAD' }];
  // Dozed up to the lead time: the next timer or clock check decides, nothing else happens first.
  if (snapshot.context.dozed) return [{ type: 'TICK' }, { type: 'WAIT_CHECK' }];
  return MODEL_EVENTS.filter((event) => snapshot.can(event));
}

/** The identity of a model state: its value and every flag, but not the side-effect counters. */
export function serializeModelState(snapshot: { value: unknown; context: ModelContext }): string {
  const { otpRequests: _o, verifies: _v, refreshes: _r, calls: _c, ...flags } = snapshot.context;
  return JSON.stringify([snapshot.value, flags]);
}
