import { assign, emit, enqueueActions, setup } from 'xstate';
import type { GstrStep } from '../src/errors/GstrError.js';
import { InvalidInputError } from '../src/errors/InvalidInputError.js';
import { isGstrError } from '../src/errors/isGstrError.js';
import { OtpAttemptsExceededError } from '../src/errors/OtpAttemptsExceededError.js';
import { OtpExpiredError } from '../src/errors/OtpExpiredError.js';
import type { AccessToken, OtpChallenge, TaxpayerSession } from '../src/providers/GstrProvider.js';
import { normaliseOtp } from '../src/schemas/requests.js';
import { clampDelay, delayUntil } from '../src/time/delays.js';
import { authenticateActor } from './actors/authenticateActor.js';
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
import { asGstrError, errorOf } from './sessionErrors.js';
import { CLEARED_RECORD } from './sessionRecord.js';
import {
  attemptsLeft,
  canRefreshToken,
  hasAttemptsAfterThis,
  isAccessEndingUnannounced,
  isAutoReauthDue,
  isLoginFailureTransient,
  isLoginRetryDue,
  isLoginRetryPending,
  isPasswordChallenge,
  isRefreshDue,
  isRefreshRetryDue,
  isTokenUsable,
  loginRetryAtAfter,
  nextTokenDeadline,
  reauthReasonOf,
  refreshAtFor,
  refreshRetryAtAfter,
  resendRefusal,
} from './sessionRules.js';

/** How long a refusal asked to wait before the next try (a rate limit's Retry-After), or 0. */
function waitAskedBy(error: unknown): number {
  if (isGstrError(error, 'RateLimitedError')) return error.retryAfterMs ?? 0;
  return isGstrError(error, 'ProviderUnavailableError') ? (error.retryAfterMs ?? 0) : 0;
}

/**
 * Whether a failed refresh spends one of its tries: not when nothing was sent (the account's
 * circuit breaker was open), so that an outage the fleet already knows of costs no try.
 */
function isTryCounted(error: unknown): boolean {
  return !(isGstrError(error, 'ProviderUnavailableError') && error.circuitOpen);
}

/** The session's clock, read through its context. */
export function now(context: GstrSessionContext): number {
  return context.deps.now();
}

/** What spreads a session's retries from its fleet's: its GSTIN and username. */
function sessionSeed(context: GstrSessionContext): string {
  return `${context.gstin}/${context.username}`;
}

/** What every authenticated step's actor needs from the context. */
export function accessInput(context: GstrSessionContext): AccessInput {
  return {
    provider: context.deps.provider,
    access: context.access,
    now: context.deps.now,
    accessTokenSkewMs: context.config.accessTokenSkewMs,
  };
}

/**
 * Every implementation the chart names: actors, guards, delays and actions. The chart itself
 * (`gstrSession.machine.ts`) refers to them by name only, so it reads as the flow.
 */
export const gstrSessionSetup = setup({
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
    authenticate: authenticateActor,
    refreshToken: refreshTokenActor,
    logout: logoutActor,
  },
  guards: {
    isOtpWellFormed: ({ event }) =>
      event.type === 'otp.submit' && normaliseOtp(event.otp) !== undefined,
    isOtpExpired: ({ context }) =>
      context.otpExpiresAt === undefined || context.otpExpiresAt <= now(context),
    hasValidOtp: ({ context }) =>
      context.challenge !== undefined &&
      context.otpExpiresAt !== undefined &&
      context.otpExpiresAt > now(context),
    canResendOtp: ({ context }) =>
      resendRefusal(context, context.config, now(context)) === undefined,
    isOtpRejected: ({ event }) => isGstrError(errorOf(event), 'OtpRejectedError'),
    isUnauthorized: ({ event }) => isGstrError(errorOf(event), 'UnauthorizedError'),
    isTokenRejected: ({ event }) => isGstrError(errorOf(event), 'TokenRejectedError'),
    // A refusal names the token it is about; one naming another token (already replaced) is news of nothing.
    isHeldTokenRefused: ({ context, event }) =>
      event.type === 'token.rejected' &&
      (event.authToken === undefined || event.authToken === context.token?.authToken),
    isAccessNotEnabled: ({ event }) => isGstrError(errorOf(event), 'AccessNotEnabledError'),
    hasOtpAttemptsLeft: ({ context }) => hasAttemptsAfterThis(context, context.config),
    isTokenExpired: ({ context }) => !isTokenUsable(context.token, now(context)),
    isRefreshDue: ({ context }) => isRefreshDue(context, context.config, now(context)),
    canRefresh: ({ context }) =>
      canRefreshToken(context, context.deps.provider.capabilities.refresh, now(context)),
    isExpiringUnnotified: ({ context }) => !context.expiringNotified,
    isRefreshRetryDue: ({ context }) => isRefreshRetryDue(context, now(context)),
    hasRefreshRetryLeft: ({ context, event }) =>
      refreshRetryAtAfter(
        context,
        context.config,
        now(context),
        waitAskedBy(errorOf(event)),
        isTryCounted(errorOf(event)),
      ) !== undefined,
    isAutoReauth: ({ context }) => isAutoReauthDue('expired', context.config),
    isPasswordChallenge: ({ context }) => isPasswordChallenge(context.deps.provider),
    // An outage or a rate limit (not a refusal of the password): a person cannot fix it.
    isLoginRetryable: ({ context, event }) =>
      isLoginFailureTransient(errorOf(event)) &&
      loginRetryAtAfter(context, context.config, now(context), sessionSeed(context)) !== undefined,
    isLoginRetryPending: ({ context }) => isLoginRetryPending(context),
    isLoginRetryDue: ({ context }) => isLoginRetryDue(context, now(context)),
  },
  delays: {
    untilOtpCheck: ({ context }) =>
      delayUntil(context.otpExpiresAt, now(context), context.config.clockCheckMs),
    // Only a pending login retry has a deadline here; an expired OTP session waits for a person.
    untilLoginRetry: ({ context }) =>
      isLoginRetryPending(context)
        ? delayUntil(context.refreshRetryAt, now(context), context.config.clockCheckMs)
        : clampDelay(Number.POSITIVE_INFINITY),
    untilTokenCheck: ({ context }) =>
      delayUntil(
        nextTokenDeadline(context, context.config),
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
    assignAccess: assign((_, params: { access: AccessToken | undefined }) => ({
      access: params.access,
    })),
    assignOtpRequest: assign(
      ({ context }, params: { access: AccessToken | undefined; challenge: OtpChallenge }) => ({
        access: params.access,
        challenge: { secrets: params.challenge.secrets },
        otpRequestedAt: now(context),
        otpExpiresAt: now(context) + context.config.otpValidityMs,
        otpAttempts: 0,
        error: undefined,
      }),
    ),
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
      challenge: undefined,
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
    assignToken: assign(
      ({ context }, params: { access: AccessToken | undefined; token: TaxpayerSession }) => ({
        access: params.access,
        token: {
          authToken: params.token.authToken,
          expiresAt: params.token.expiresAt,
          ...(params.token.accessExpiresAt === undefined
            ? {}
            : { accessExpiresAt: params.token.accessExpiresAt }),
          secrets: params.token.secrets,
          refreshAt: refreshAtFor(
            params.token,
            now(context),
            context.config,
            context.deps.provider.capabilities.renewWindowMs,
          ),
        },
        // The challenge is spent: what the provider still needs is in the token's secrets.
        challenge: undefined,
        otpExpiresAt: undefined,
        otpAttempts: 0,
        otpResends: 0,
        expiringNotified:
          context.token?.expiresAt === params.token.expiresAt && context.expiringNotified,
        refreshFailed: false,
        refreshFailures: 0,
        refreshRetryAt: undefined,
        error: undefined,
      }),
    ),
    markExpiringNotified: assign({ expiringNotified: true }),
    markRefreshFailed: assign(({ context }, params: { error: unknown }) => ({
      refreshFailed: true,
      refreshRetryAt: undefined,
      error: asGstrError(params.error, 'refreshToken', context),
    })),
    // A refresh that failed for want of the provider is tried again (refreshRetryAtAfter);
    // with no try left, it has failed for good.
    scheduleRefreshRetry: assign(({ context }, params: { error: unknown }) => {
      const retryAt = refreshRetryAtAfter(
        context,
        context.config,
        now(context),
        waitAskedBy(params.error),
        isTryCounted(params.error),
      );
      return {
        refreshFailures: context.refreshFailures + (isTryCounted(params.error) ? 1 : 0),
        refreshRetryAt: retryAt,
        refreshFailed: retryAt === undefined,
        error: asGstrError(params.error, 'refreshToken', context),
      };
    }),
    // A password login failed for want of the provider: its next try, on the refresh's
    // counters (no token is held, so they are free; the next token resets them).
    scheduleLoginRetry: assign(({ context }, params: { error: unknown }) => {
      const counted = isTryCounted(params.error);
      return {
        refreshFailures: context.refreshFailures + (counted ? 1 : 0),
        refreshRetryAt: loginRetryAtAfter(
          context,
          context.config,
          now(context),
          sessionSeed(context),
          waitAskedBy(params.error),
          counted,
        ),
        error: asGstrError(params.error, 'authenticate', context),
      };
    }),
    dropToken: assign({
      token: undefined,
      expiringNotified: false,
      refreshFailed: false,
      refreshFailures: 0,
      refreshRetryAt: undefined,
    }),
    dropChallenge: assign({ challenge: undefined, otpExpiresAt: undefined }),
    retireToken: assign(({ context }) => ({
      endingToken: context.token,
      token: undefined,
      expiringNotified: false,
      refreshFailed: false,
      refreshFailures: 0,
      refreshRetryAt: undefined,
    })),
    clearSecrets: assign({ ...CLEARED_RECORD, error: undefined }),
    emitOtpRequired: emit(({ context }) => ({
      type: 'otp.required' as const,
      gstin: context.gstin,
      reason: context.otpReason,
      otpExpiresAt: context.otpExpiresAt ?? now(context),
      attemptsLeft: attemptsLeft(context, context.config),
    })),
    emitRefreshFailed: emit(({ context }) => ({
      type: 'refresh.failed' as const,
      gstin: context.gstin,
      expiresAt: context.token?.expiresAt ?? 0,
      attempts: context.refreshFailures,
      error: context.error,
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
    // A person is needed, except when a token ran out or was refused on a provider that logs
    // in with the password (it renews by itself); a refused password needs one, though.
    emitReauthRequired: enqueueActions(
      ({ context, enqueue }, params: { ended: 'timeout' | 'rejected' | 'failed' }) => {
        if (params.ended !== 'failed' && isPasswordChallenge(context.deps.provider)) return;
        enqueue.emit({
          type: 'reauth.required' as const,
          gstin: context.gstin,
          reason: reauthReasonOf(context, params.ended, now(context)),
          error: context.error,
        });
      },
    ),
    // Whenever a token arrives: the portal access duration's end, announced once per end.
    announceAccessEnding: enqueueActions(({ context, enqueue }) => {
      const accessEnd = context.token?.accessExpiresAt;
      if (
        accessEnd === undefined ||
        !isAccessEndingUnannounced(context, context.config, now(context))
      )
        return;
      enqueue.assign({ accessNoticeFor: accessEnd });
      enqueue.emit({ type: 'access.expiring', gstin: context.gstin, accessExpiresAt: accessEnd });
    }),
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
});
