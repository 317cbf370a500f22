import { and, not } from 'xstate';
import type { GstrStep } from '../src/errors/GstrError.js';
import type { TaxpayerSession } from '../src/providers/GstrProvider.js';
import { normaliseOtp } from '../src/schemas/requests.js';
import type { WithAccess } from './actors/withAccess.js';
import { accessInput, gstrSessionSetup } from './gstrSession.setup.js';
import { initialContext } from './initialContext.js';
import { errorOf } from './sessionErrors.js';

/** The action that keeps a failed step's error (scrubbed) in context. */
function keepErrorOf(step: GstrStep) {
  return {
    type: 'assignError',
    params: ({ event }: { event: unknown }) => ({ error: errorOf(event), step }),
  } as const;
}

/** The transition of a step that brought a token: keep it, announce it. */
function tokenArrived(refreshed: boolean, description: string) {
  return {
    target: 'authenticated',
    actions: [
      {
        type: 'assignToken',
        params: ({ event }: { event: unknown }) => {
          const { output } = event as { output: WithAccess<TaxpayerSession> };
          return { access: output.access, token: output.value };
        },
      },
      { type: 'emitAuthenticated', params: { refreshed } },
      'announceAccessEnding',
    ],
    description,
  } as const;
}

/**
 * The token is gone (ran out, or refused): say so, and that a person is needed, while the
 * record still shows why (the access duration's end), then drop it.
 */
function expire(reason: 'timeout' | 'rejected') {
  return [
    { type: 'emitExpired', params: { reason } },
    { type: 'emitReauthRequired', params: { ended: reason } },
    'dropToken',
  ] as const;
}

/** A refresh failed: keep its error, and refresh this token no more. */
const MARK_REFRESH_FAILED = {
  type: 'markRefreshFailed',
  params: ({ event }: { event: unknown }) => ({ error: errorOf(event) }),
} as const;

/** A refresh failed for want of the provider: count it, and plan the next try if one is left. */
const SCHEDULE_REFRESH_RETRY = {
  type: 'scheduleRefreshRetry',
  params: ({ event }: { event: unknown }) => ({ error: errorOf(event) }),
} as const;

/** A password login failed for want of the provider: plan its next try. */
const SCHEDULE_LOGIN_RETRY = {
  type: 'scheduleLoginRetry',
  params: ({ event }: { event: unknown }) => ({ error: errorOf(event) }),
} as const;

/** A fresh OTP round for a first login or a retry from scratch. */
const START_ROUND_INITIAL = { type: 'startRound', params: { reason: 'initial' } } as const;

/**
 * What the authenticated state does when its timer fires or the clock is checked: expire,
 * refresh (where the provider can), warn at the lead time, or re-arm the timer.
 */
const TOKEN_CHECKS = [
  {
    guard: 'isTokenExpired',
    target: 'expired',
    actions: expire('timeout'),
    description: 'The token reached expiresAt.',
  },
  {
    guard: and(['isRefreshRetryDue', 'canRefresh']),
    target: 'refreshing',
    description:
      'A refresh failed for want of the provider: try again (backoff, a last try before expiry).',
  },
  {
    guard: and(['isRefreshDue', 'canRefresh', 'isExpiringUnnotified']),
    target: 'refreshing',
    actions: ['markExpiringNotified', 'emitExpiring'],
    description: 'The lead time is reached and the provider can refresh: refresh.',
  },
  {
    guard: and(['isRefreshDue', 'isExpiringUnnotified']),
    target: 'authenticated',
    reenter: true,
    actions: ['markExpiringNotified', 'emitExpiring'],
    description: 'The lead time is reached and no refresh is possible: warn, then wait for expiry.',
  },
  {
    target: 'authenticated',
    reenter: true,
    description: 'Nothing due yet (a wall-clock check): re-arm the timer.',
  },
] as const;

/**
 * The GSTR session as a state machine: login, OTP request, OTP verification, authenticated
 * with an expiry timer, optional refresh, expiry and re-authentication, logout.
 *
 * Every timer is derived from an absolute deadline in context and re-checked against
 * wall-clock time at least every `clockCheckMs`, so sleep or a suspended process cannot make
 * the session hand out an expired token for long. The provider and the clock come in `input`.
 *
 * @example
 * ```ts
 * const actor = createActor(gstrSessionMachine, { input: { provider, gstin, username } });
 * actor.on('otp.required', () => actor.send({ type: 'otp.submit', otp: askThePerson() }));
 * actor.start();
 * actor.send({ type: 'session.start' });
 * ```
 */
export const gstrSessionMachine = gstrSessionSetup.createMachine({
  id: 'gstrSession',
  description:
    'A GSTR auth-token session for one GSTIN: provider login, OTP by SMS, auth token, expiry and re-authentication.',
  context: ({ input }) => initialContext(input),
  initial: 'loggedOut',
  states: {
    loggedOut: {
      description: 'No provider session and no token. Nothing runs until session.start.',
      on: {
        'session.start': {
          target: 'loggingIn',
          actions: START_ROUND_INITIAL,
          description: 'Begin: log in to the provider, then ask for an OTP.',
        },
        'session.reauthenticate': {
          target: 'loggingIn',
          actions: START_ROUND_INITIAL,
          description: 'Same as session.start from here.',
        },
      },
    },

    loggingIn: {
      description:
        'Logging in to the provider with the API credentials (retried on transient errors); at once for a provider without a login.',
      invoke: {
        src: 'login',
        input: ({ context }) => ({ provider: context.deps.provider }),
        onDone: [
          {
            guard: 'isPasswordChallenge',
            target: 'authenticating',
            actions: { type: 'assignAccess', params: ({ event }) => ({ access: event.output }) },
            description: 'Logged in, and the provider logs in with the password: no OTP.',
          },
          {
            target: 'requestingOtp',
            actions: { type: 'assignAccess', params: ({ event }) => ({ access: event.output }) },
            description: 'Logged in: ask for an OTP.',
          },
        ],
        onError: {
          target: 'failed',
          actions: [keepErrorOf('login'), 'emitFailed'],
          description:
            'The provider refused or could not be reached: the session fails with the error.',
        },
      },
      on: {
        'session.logout': { target: 'loggingOut', description: 'Abort the login and log out.' },
      },
    },

    requestingOtp: {
      description:
        'Asking the provider to send an OTP by SMS (re-logging in first if the access token is stale, and once on a 401). Never re-sent automatically.',
      invoke: {
        src: 'requestOtp',
        input: ({ context }) => ({
          ...accessInput(context),
          attempt: context.otpResends + 1,
          gstin: context.gstin,
          username: context.username,
        }),
        onDone: {
          target: 'otpRequested',
          actions: [
            {
              type: 'assignOtpRequest',
              params: ({ event }) => ({
                access: event.output.access,
                challenge: event.output.value,
              }),
            },
            'emitOtpRequired',
          ],
          description: 'An SMS is on its way: wait for the person to submit the OTP.',
        },
        onError: [
          {
            guard: 'hasValidOtp',
            target: 'otpRequested',
            actions: [keepErrorOf('requestOtp'), 'emitError'],
            description:
              'A resend failed but the previous OTP is still valid: keep waiting for it.',
          },
          {
            target: 'failed',
            actions: [keepErrorOf('requestOtp'), 'emitFailed'],
            description: 'The OTP request failed: the session fails with the error.',
          },
        ],
      },
      on: {
        'session.logout': {
          target: 'loggingOut',
          description: 'Abort the OTP request and log out.',
        },
      },
    },

    authenticating: {
      description:
        "Logging in with the taxpayer's API password (NIC e-invoice, e-way bill): no OTP and no person. Never re-sent: a second login voids the first token.",
      invoke: {
        src: 'authenticate',
        input: ({ context }) => ({
          ...accessInput(context),
          gstin: context.gstin,
          username: context.username,
        }),
        onDone: tokenArrived(false, 'The token arrived.'),
        onError: [
          {
            guard: 'isLoginRetryable',
            target: 'expired',
            actions: [SCHEDULE_LOGIN_RETRY, 'emitError'],
            description:
              'An outage or a rate limit: no token, and the login is tried again later (backoff, up to 5 minutes apart).',
          },
          {
            target: 'failed',
            actions: [keepErrorOf('authenticate'), 'emitFailed'],
            description:
              'The password (or the client) was refused: only a person can fix it, so the session fails with the error.',
          },
        ],
      },
      on: {
        'session.logout': { target: 'loggingOut', description: 'Abort the login and log out.' },
      },
    },

    otpRequested: {
      description:
        'An OTP was sent to the taxpayer; waiting for a person to submit it before it expires.',
      after: {
        untilOtpCheck: [
          {
            guard: 'isOtpExpired',
            target: 'otpExpired',
            actions: 'emitOtpExpired',
            description: 'The OTP validity ran out.',
          },
          {
            target: 'otpRequested',
            reenter: true,
            description: 'Not expired yet (a wall-clock check): re-arm the timer.',
          },
        ],
      },
      on: {
        'otp.submit': [
          {
            guard: 'isOtpExpired',
            target: 'otpExpired',
            actions: ['emitOtpExpired', 'assignOtpExpired', 'emitError'],
            description:
              'Submitted after the OTP expired (e.g. after sleep): refuse it without a request.',
          },
          {
            guard: 'isOtpWellFormed',
            target: 'verifyingOtp',
            description: 'Exchange the OTP for the auth token.',
          },
          {
            actions: ['assignInvalidOtp', 'emitError'],
            description: 'Not six digits: refuse it without a request and keep waiting.',
          },
        ],
        'otp.resend': [
          {
            guard: 'canResendOtp',
            target: 'requestingOtp',
            actions: 'countResend',
            description: 'The person asked for another SMS (after the cooldown, within the limit).',
          },
          {
            actions: ['assignResendRefused', 'emitError'],
            description: 'Too early or too often: refuse without sending an SMS.',
          },
        ],
        'clock.tick': [
          {
            guard: 'isOtpExpired',
            target: 'otpExpired',
            actions: 'emitOtpExpired',
            description: 'A wall-clock check found the OTP expired.',
          },
          {
            target: 'otpRequested',
            reenter: true,
            description: 'Re-arm the OTP timer from its deadline (after restore or wake).',
          },
        ],
        'session.logout': { target: 'loggingOut', description: 'Give up on the OTP and log out.' },
      },
    },

    otpExpired: {
      description:
        'No usable OTP: its validity ran out, or the session was saved while one was being requested. Only a person can ask for a new SMS.',
      on: {
        'otp.resend': [
          {
            guard: 'canResendOtp',
            target: 'requestingOtp',
            actions: 'countResend',
            description: 'Ask for a new OTP.',
          },
          {
            actions: ['assignResendRefused', 'emitError'],
            description: 'The resend limit is reached: refuse without sending an SMS.',
          },
        ],
        'session.reauthenticate': {
          target: 'requestingOtp',
          actions: { type: 'startRound', params: { reason: 'resend' } },
          description: 'Start a new OTP round.',
        },
        'otp.submit': {
          actions: ['assignOtpExpired', 'emitError'],
          description: 'An OTP typed after expiry is refused without a request.',
        },
        'session.logout': { target: 'loggingOut', description: 'Log out.' },
      },
    },

    verifyingOtp: {
      description:
        'Exchanging the OTP and its challenge for the auth token. Never re-sent: an OTP is single-use.',
      invoke: {
        src: 'getAuthToken',
        input: ({ context, event }) => ({
          ...accessInput(context),
          attempt: context.otpAttempts + 1,
          gstin: context.gstin,
          username: context.username,
          challenge: context.challenge ?? { secrets: {} },
          otp: (event.type === 'otp.submit' && normaliseOtp(event.otp)) || '',
        }),
        onDone: tokenArrived(false, 'The auth token arrived.'),
        onError: [
          {
            guard: and(['isOtpRejected', 'hasOtpAttemptsLeft']),
            target: 'otpRequested',
            actions: ['countOtpAttempt', keepErrorOf('getAuthToken'), 'emitOtpRequired'],
            description: 'Wrong OTP: count it and ask the person again.',
          },
          {
            guard: 'isOtpRejected',
            target: 'failed',
            actions: [
              'countOtpAttempt',
              { type: 'assignAttemptsExceeded', params: ({ event }) => ({ error: event.error }) },
              'emitFailed',
            ],
            description: 'Too many wrong OTPs: stop asking.',
          },
          {
            guard: 'isUnauthorized',
            target: 'failed',
            actions: [keepErrorOf('getAuthToken'), 'emitFailed'],
            description: 'The provider refused a fresh access token too: fail.',
          },
          {
            guard: 'isAccessNotEnabled',
            target: 'failed',
            actions: [keepErrorOf('getAuthToken'), 'emitFailed'],
            description:
              'GSTN refused API access (AUTH4037): only the taxpayer can fix it on the portal, so stop.',
          },
          {
            target: 'otpRequested',
            actions: [keepErrorOf('getAuthToken'), 'emitError'],
            description:
              'A transport or provider error: the OTP may still be valid, so let the person retry or resend.',
          },
        ],
      },
      on: {
        'session.logout': { target: 'loggingOut', description: 'Abort the exchange and log out.' },
      },
    },

    authenticated: {
      description:
        'Holding a valid auth token. Refreshes (where the provider can) or warns at the lead time, and expires at expiresAt.',
      after: {
        untilTokenCheck: TOKEN_CHECKS,
      },
      on: {
        // The same checks as the timer: after a restore, a wake-up or a long sleep, the lead
        // time and the expiry are both looked at now.
        'clock.tick': TOKEN_CHECKS,
        'token.rejected': [
          {
            guard: not('isHeldTokenRefused'),
            description:
              'A refusal of a token this session no longer holds (a read that lost a race with a renewal): it changes nothing.',
          },
          {
            guard: and(['canRefresh', not('isTokenExpired')]),
            target: 'refreshing',
            actions: 'markExpiringNotified',
            description:
              'GSTN refused the token (e.g. RET11402) and the provider can refresh within the access duration: refresh instead of a new OTP.',
          },
          {
            target: 'expired',
            actions: expire('rejected'),
            description: 'GSTN refused the token (e.g. AUTH4033, RET11407): treat it as expired.',
          },
        ],
        'session.logout': { target: 'loggingOut', description: 'Log out.' },
      },
    },

    refreshing: {
      description:
        'Extending the auth token without an OTP (only for providers that offer a refresh).',
      invoke: {
        src: 'refreshToken',
        input: ({ context }) => ({
          ...accessInput(context),
          attempt: context.refreshFailures + 1,
          gstin: context.gstin,
          username: context.username,
          session: context.token,
        }),
        onDone: tokenArrived(true, 'A new token with a new expiry.'),
        onError: [
          {
            guard: 'isTokenRejected',
            target: 'expired',
            actions: [MARK_REFRESH_FAILED, ...expire('rejected')],
            description: 'GSTN refused the token on refresh: the session is over, it is expired.',
          },
          {
            guard: 'isTokenExpired',
            target: 'expired',
            actions: [MARK_REFRESH_FAILED, ...expire('timeout')],
            description: 'The refresh failed and the token ran out meanwhile: it is expired.',
          },
          {
            guard: 'hasRefreshRetryLeft',
            target: 'authenticated',
            actions: [SCHEDULE_REFRESH_RETRY, 'emitError'],
            description:
              'The refresh failed (an outage, a timeout): keep the token and try again later.',
          },
          {
            target: 'authenticated',
            actions: [SCHEDULE_REFRESH_RETRY, 'emitError', 'emitRefreshFailed'],
            description:
              'The last try failed too: keep the token until it expires, then re-authenticate; say so once.',
          },
        ],
      },
      // No 'token.rejected' here: a refusal is about the token this refresh is replacing
      // already (concurrent reads refused at once), so it changes nothing. Were the token dead,
      // the refresh itself is refused and ends in 'expired'.
      on: {
        'session.logout': { target: 'loggingOut', description: 'Abort the refresh and log out.' },
      },
    },

    expired: {
      description:
        'The token is gone. In auto mode a new OTP is requested at once; in manual mode the session waits for session.reauthenticate.',
      always: [
        {
          guard: and(['isPasswordChallenge', not('isLoginRetryPending')]),
          target: 'authenticating',
          description: 'The provider logs in with the password: log in again at once.',
        },
        {
          guard: and(['isAutoReauth', not('isPasswordChallenge')]),
          target: 'requestingOtp',
          actions: { type: 'startRound', params: { reason: 'expired' } },
          description: 'Auto mode: ask for a new OTP (re-logging in if the access token is stale).',
        },
      ],
      after: {
        untilLoginRetry: [
          {
            guard: 'isLoginRetryDue',
            target: 'authenticating',
            description: 'A password login that failed for an outage: its next try.',
          },
          {
            guard: 'isLoginRetryPending',
            target: 'expired',
            reenter: true,
            description: 'Not due yet (a wall-clock check): re-arm the timer.',
          },
        ],
      },
      on: {
        'session.reauthenticate': [
          {
            guard: 'isPasswordChallenge',
            target: 'authenticating',
            description: 'Log in with the password now, without waiting for the next try.',
          },
          {
            target: 'requestingOtp',
            actions: { type: 'startRound', params: { reason: 'expired' } },
            description: 'A person asked to re-authenticate: request a new OTP.',
          },
        ],
        'clock.tick': [
          {
            guard: 'isLoginRetryDue',
            target: 'authenticating',
            description: 'A wall-clock check found the next login try due.',
          },
          {
            guard: 'isLoginRetryPending',
            target: 'expired',
            reenter: true,
            description: 'Re-arm the login retry timer from its deadline (after restore or wake).',
          },
        ],
        'session.logout': { target: 'loggingOut', description: 'Log out.' },
      },
    },

    failed: {
      description:
        'A step failed for good (refused credentials, too many wrong OTPs, provider down). The error is in context.',
      // The OTP round is over: a later round never falls back on its challenge. A person (or
      // the app) must start again: one event says why.
      entry: ['dropChallenge', { type: 'emitReauthRequired', params: { ended: 'failed' } }],
      on: {
        'session.start': {
          target: 'loggingIn',
          actions: START_ROUND_INITIAL,
          description: 'Try again from login.',
        },
        'session.reauthenticate': {
          target: 'loggingIn',
          actions: START_ROUND_INITIAL,
          description: 'Try again from login.',
        },
        'session.logout': { target: 'loggingOut', description: 'Log out.' },
      },
    },

    loggingOut: {
      description: 'Ending the provider session (best effort) and clearing every secret.',
      // The token goes at once, so that nothing hands it out while the provider is told.
      entry: 'retireToken',
      invoke: {
        src: 'logout',
        input: ({ context }) => ({
          provider: context.deps.provider,
          access: context.access,
          gstin: context.gstin,
          username: context.username,
          session: context.endingToken,
        }),
        onDone: {
          target: 'loggedOut',
          actions: ['clearSecrets', 'emitLoggedOut'],
          description: 'Logged out.',
        },
        onError: {
          target: 'loggedOut',
          actions: ['clearSecrets', 'emitLoggedOut'],
          description: 'The provider logout failed; the local session is cleared anyway.',
        },
      },
    },
  },
});
