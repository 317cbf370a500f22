import { and, assign, emit, setup } from 'xstate';
import { type GstrStep, isGstrError } from '../src/errors/GstrError.js';
import { InvalidInputError } from '../src/errors/InvalidInputError.js';
import { OtpAttemptsExceededError } from '../src/errors/OtpAttemptsExceededError.js';
import { OtpExpiredError } from '../src/errors/OtpExpiredError.js';
import type { AccessToken, AuthTokenResult } from '../src/providers/GstrProvider.js';
import { normaliseOtp } from '../src/schemas/requests.js';
import { getAuthTokenActor } from './actors/getAuthTokenActor.js';
import { loginActor } from './actors/loginActor.js';
import { logoutActor } from './actors/logoutActor.js';
import { refreshTokenActor } from './actors/refreshTokenActor.js';
import { requestOtpActor } from './actors/requestOtpActor.js';
import type { AccessInput } from './actors/withAccess.js';
import type {
  GstrSessionContext,
  GstrSessionEmitted,
  GstrSessionEvent,
  GstrSessionInput,
  OtpReason,
} from './gstrSession.types.js';
import { initialContext } from './initialContext.js';
import { asGstrError, errorOf } from './sessionErrors.js';
import {
  attemptsLeft,
  hasAttemptsAfterThis,
  isAutoReauthDue,
  isRefreshDue,
  isTokenUsable,
  nextTokenDeadline,
  refreshAtFor,
  resendRefusal,
} from './sessionRules.js';
import { delayUntil } from './timing.js';

function now(context: GstrSessionContext): number {
  return context.deps.now();
}

function accessInput(context: GstrSessionContext): AccessInput {
  return {
    provider: context.deps.provider,
    access: context.access,
    now: context.deps.now,
    accessTokenSkewMs: context.config.accessTokenSkewMs,
  };
}

/**
 * What the authenticated state does when its timer fires or the clock is checked: expire,
 * refresh (where the provider can), warn at the lead time, or re-arm the timer.
 */
const TOKEN_CHECKS = [
  {
    guard: 'isTokenExpired',
    target: 'expired',
    actions: ['dropToken', { type: 'emitExpired', params: { reason: 'timeout' } }],
    description: 'The token reached expiresAt.',
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
export const gstrSessionMachine = setup({
  types: {
    context: {} as GstrSessionContext,
    events: {} as GstrSessionEvent,
    input: {} as GstrSessionInput,
    emitted: {} as GstrSessionEmitted,
  },
  actors: {
    login: loginActor,
    requestOtp: requestOtpActor,
    getAuthToken: getAuthTokenActor,
    refreshToken: refreshTokenActor,
    logout: logoutActor,
  },
  guards: {
    isOtpWellFormed: ({ event }) =>
      event.type === 'otp.submit' && normaliseOtp(event.otp) !== undefined,
    isOtpExpired: ({ context }) =>
      context.otpExpiresAt === undefined || context.otpExpiresAt <= now(context),
    hasValidOtp: ({ context }) =>
      context.appKey !== undefined &&
      context.otpExpiresAt !== undefined &&
      context.otpExpiresAt > now(context),
    canResendOtp: ({ context }) =>
      resendRefusal(context, context.config, now(context)) === undefined,
    isOtpRejected: ({ event }) => isGstrError(errorOf(event), 'OtpRejectedError'),
    isUnauthorized: ({ event }) => isGstrError(errorOf(event), 'UnauthorizedError'),
    hasOtpAttemptsLeft: ({ context }) => hasAttemptsAfterThis(context, context.config),
    isTokenExpired: ({ context }) => !isTokenUsable(context.token, now(context)),
    isRefreshDue: ({ context }) => isRefreshDue(context, context.config, now(context)),
    canRefresh: ({ context }) =>
      context.deps.provider.refreshToken !== undefined && !context.refreshFailed,
    isExpiringUnnotified: ({ context }) => !context.expiringNotified,
    isAutoReauth: ({ context }) => isAutoReauthDue('expired', context.config),
  },
  delays: {
    untilOtpCheck: ({ context }) =>
      delayUntil(context.otpExpiresAt, now(context), context.config.clockCheckMs),
    untilTokenCheck: ({ context }) =>
      delayUntil(
        nextTokenDeadline(context, context.config, now(context)),
        now(context),
        context.config.clockCheckMs,
      ),
  },
  actions: {
    startRound: assign((_, params: { reason: OtpReason }) => ({
      otpReason: params.reason,
      otpAttempts: 0,
      otpResends: 0,
      error: undefined,
    })),
    assignAccess: assign((_, params: { access: AccessToken }) => ({ access: params.access })),
    assignOtpRequest: assign(({ context }, params: { access: AccessToken; appKey: string }) => ({
      access: params.access,
      appKey: params.appKey,
      otpRequestedAt: now(context),
      otpExpiresAt: now(context) + context.config.otpValidityMs,
      otpAttempts: 0,
      error: undefined,
    })),
    countResend: assign(({ context }) => ({
      otpReason: 'resend' as const,
      otpResends: context.otpResends + 1,
    })),
    countOtpAttempt: assign(({ context }) => ({
      otpReason: 'rejected' as const,
      otpAttempts: context.otpAttempts + 1,
    })),
    assignError: assign(({ context }, params: { error: unknown; step: GstrStep }) => ({
      error: asGstrError(params.error, params.step, context),
    })),
    assignAttemptsExceeded: assign(({ context }, params: { error: unknown }) => ({
      error: new OtpAttemptsExceededError(context.otpAttempts, params.error),
      appKey: undefined,
      otpExpiresAt: undefined,
    })),
    assignInvalidOtp: assign({
      error: () =>
        new InvalidInputError('otp', 'must be exactly 6 digits', { step: 'getAuthToken' }),
    }),
    assignOtpExpired: assign({ error: () => new OtpExpiredError() }),
    assignResendRefused: assign(({ context }) => ({
      error: resendRefusal(context, context.config, now(context)),
    })),
    assignToken: assign(({ context }, params: { access: AccessToken; token: AuthTokenResult }) => ({
      access: params.access,
      token: {
        authToken: params.token.authToken,
        sek: params.token.sek,
        expiresAt: params.token.expiresAt,
        refreshAt: refreshAtFor(params.token.expiresAt, now(context), context.config.refreshLeadMs),
      },
      otpExpiresAt: undefined,
      otpAttempts: 0,
      otpResends: 0,
      expiringNotified:
        context.token?.expiresAt === params.token.expiresAt && context.expiringNotified,
      refreshFailed: false,
      error: undefined,
    })),
    markExpiringNotified: assign({ expiringNotified: true }),
    markRefreshFailed: assign(({ context }, params: { error: unknown }) => ({
      refreshFailed: true,
      error: asGstrError(params.error, 'refreshToken', context),
    })),
    dropToken: assign({ token: undefined, expiringNotified: false, refreshFailed: false }),
    clearSecrets: assign({
      access: undefined,
      appKey: undefined,
      token: undefined,
      otpRequestedAt: undefined,
      otpExpiresAt: undefined,
      otpAttempts: 0,
      otpResends: 0,
      expiringNotified: false,
      refreshFailed: false,
      error: undefined,
    }),
    emitOtpRequired: emit(({ context }) => ({
      type: 'otp.required' as const,
      gstin: context.gstin,
      reason: context.otpReason,
      otpExpiresAt: context.otpExpiresAt ?? now(context),
      attemptsLeft: attemptsLeft(context, context.config),
    })),
    emitOtpExpired: emit(({ context }) => ({ type: 'otp.expired' as const, gstin: context.gstin })),
    emitAuthenticated: emit(({ context }, params: { refreshed: boolean }) => ({
      type: 'session.authenticated' as const,
      gstin: context.gstin,
      expiresAt: context.token?.expiresAt ?? 0,
      refreshed: params.refreshed,
    })),
    emitExpiring: emit(({ context }) => ({
      type: 'session.expiring' as const,
      gstin: context.gstin,
      expiresAt: context.token?.expiresAt ?? 0,
    })),
    emitExpired: emit(({ context }, params: { reason: 'timeout' | 'rejected' }) => ({
      type: 'session.expired' as const,
      gstin: context.gstin,
      reason: params.reason,
    })),
    emitFailed: emit(({ context }) => ({
      type: 'session.failed' as const,
      gstin: context.gstin,
      error: context.error ?? asGstrError('unknown failure', 'session', context),
    })),
    emitError: emit(({ context }) => ({
      type: 'session.error' as const,
      gstin: context.gstin,
      error: context.error ?? asGstrError('unknown error', 'session', context),
    })),
    emitLoggedOut: emit(({ context }) => ({
      type: 'session.loggedOut' as const,
      gstin: context.gstin,
    })),
  },
}).createMachine({
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
          actions: { type: 'startRound', params: { reason: 'initial' } },
          description: 'Begin: log in to the provider, then ask for an OTP.',
        },
        'session.reauthenticate': {
          target: 'loggingIn',
          actions: { type: 'startRound', params: { reason: 'initial' } },
          description: 'Same as session.start from here.',
        },
      },
    },

    loggingIn: {
      description:
        'Logging in to the provider with the API credentials (retried on transient errors).',
      invoke: {
        src: 'login',
        input: ({ context }) => ({ provider: context.deps.provider }),
        onDone: {
          target: 'requestingOtp',
          actions: { type: 'assignAccess', params: ({ event }) => ({ access: event.output }) },
          description: 'Logged in: ask for an OTP.',
        },
        onError: {
          target: 'failed',
          actions: [
            { type: 'assignError', params: ({ event }) => ({ error: event.error, step: 'login' }) },
            'emitFailed',
          ],
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
                appKey: event.output.value.appKey,
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
            actions: [
              {
                type: 'assignError',
                params: ({ event }) => ({ error: event.error, step: 'requestOtp' }),
              },
              'emitError',
            ],
            description:
              'A resend failed but the previous OTP is still valid: keep waiting for it.',
          },
          {
            target: 'failed',
            actions: [
              {
                type: 'assignError',
                params: ({ event }) => ({ error: event.error, step: 'requestOtp' }),
              },
              'emitFailed',
            ],
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
        'Exchanging the OTP and appKey for the auth token. Never re-sent: an OTP is single-use.',
      invoke: {
        src: 'getAuthToken',
        input: ({ context, event }) => ({
          ...accessInput(context),
          gstin: context.gstin,
          username: context.username,
          appKey: context.appKey ?? '',
          otp: (event.type === 'otp.submit' && normaliseOtp(event.otp)) || '',
        }),
        onDone: {
          target: 'authenticated',
          actions: [
            {
              type: 'assignToken',
              params: ({ event }) => ({ access: event.output.access, token: event.output.value }),
            },
            { type: 'emitAuthenticated', params: { refreshed: false } },
          ],
          description: 'The auth token arrived.',
        },
        onError: [
          {
            guard: and(['isOtpRejected', 'hasOtpAttemptsLeft']),
            target: 'otpRequested',
            actions: [
              'countOtpAttempt',
              {
                type: 'assignError',
                params: ({ event }) => ({ error: event.error, step: 'getAuthToken' }),
              },
              'emitOtpRequired',
            ],
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
            actions: [
              {
                type: 'assignError',
                params: ({ event }) => ({ error: event.error, step: 'getAuthToken' }),
              },
              'emitFailed',
            ],
            description: 'The provider refused a fresh access token too: fail.',
          },
          {
            target: 'otpRequested',
            actions: [
              {
                type: 'assignError',
                params: ({ event }) => ({ error: event.error, step: 'getAuthToken' }),
              },
              'emitError',
            ],
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
        'token.rejected': {
          target: 'expired',
          actions: ['dropToken', { type: 'emitExpired', params: { reason: 'rejected' } }],
          description: 'GSTN refused the token (e.g. AUTH4033, RET11407): treat it as expired.',
        },
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
          gstin: context.gstin,
          username: context.username,
          authToken: context.token?.authToken ?? '',
          sek: context.token?.sek ?? '',
          appKey: context.appKey ?? '',
        }),
        onDone: {
          target: 'authenticated',
          actions: [
            {
              type: 'assignToken',
              params: ({ event }) => ({ access: event.output.access, token: event.output.value }),
            },
            { type: 'emitAuthenticated', params: { refreshed: true } },
          ],
          description: 'A new token with a new expiry.',
        },
        onError: [
          {
            guard: 'isTokenExpired',
            target: 'expired',
            actions: [
              { type: 'markRefreshFailed', params: ({ event }) => ({ error: event.error }) },
              'dropToken',
              { type: 'emitExpired', params: { reason: 'timeout' } },
            ],
            description: 'The refresh failed and the token ran out meanwhile: it is expired.',
          },
          {
            target: 'authenticated',
            actions: [
              { type: 'markRefreshFailed', params: ({ event }) => ({ error: event.error }) },
              'emitError',
            ],
            description:
              'The refresh failed: keep the token until it expires, then re-authenticate.',
          },
        ],
      },
      on: {
        'token.rejected': {
          target: 'expired',
          actions: ['dropToken', { type: 'emitExpired', params: { reason: 'rejected' } }],
          description: 'GSTN refused the token while refreshing.',
        },
        'session.logout': { target: 'loggingOut', description: 'Abort the refresh and log out.' },
      },
    },

    expired: {
      description:
        'The token is gone. In auto mode a new OTP is requested at once; in manual mode the session waits for session.reauthenticate.',
      always: {
        guard: 'isAutoReauth',
        target: 'requestingOtp',
        actions: { type: 'startRound', params: { reason: 'expired' } },
        description: 'Auto mode: ask for a new OTP (re-logging in if the access token is stale).',
      },
      on: {
        'session.reauthenticate': {
          target: 'requestingOtp',
          actions: { type: 'startRound', params: { reason: 'expired' } },
          description: 'A person asked to re-authenticate: request a new OTP.',
        },
        'session.logout': { target: 'loggingOut', description: 'Log out.' },
      },
    },

    failed: {
      description:
        'A step failed for good (refused credentials, too many wrong OTPs, provider down). The error is in context.',
      on: {
        'session.start': {
          target: 'loggingIn',
          actions: { type: 'startRound', params: { reason: 'initial' } },
          description: 'Try again from login.',
        },
        'session.reauthenticate': {
          target: 'loggingIn',
          actions: { type: 'startRound', params: { reason: 'initial' } },
          description: 'Try again from login.',
        },
        'session.logout': { target: 'loggingOut', description: 'Log out.' },
      },
    },

    loggingOut: {
      description: 'Ending the provider session (best effort) and clearing every secret.',
      // The token goes at once, so that nothing hands it out while the provider is told.
      entry: 'dropToken',
      invoke: {
        src: 'logout',
        input: ({ context }) => ({ provider: context.deps.provider, access: context.access }),
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
