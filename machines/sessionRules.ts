import { isGstrError } from '../src/errors/isGstrError.js';
import { isProviderOutage } from '../src/errors/isProviderOutage.js';
import { OtpResendRefusedError } from '../src/errors/OtpResendRefusedError.js';
import type { ProviderCapabilities } from '../src/providers/GstrProvider.js';
import { resolveSessionConfig } from '../src/schemas/sessionConfig.js';
import type { ReauthReason, SessionConfig, SessionToken } from './gstrSession.types.js';

/**
 * The session's decisions, each written once, as pure functions of a session record (a live
 * context or a persisted session: they share these fields), the resolved config and `now`.
 * The machine's guards and delays, the facade, the manager, the test driver and the CLI call
 * these; none of them re-derives a rule.
 */

/** The fields the token rules read. */
export interface TokenRecord {
  readonly token?: SessionToken | undefined;
  readonly expiringNotified: boolean;
  readonly refreshFailed: boolean;
  readonly refreshFailures?: number | undefined;
  readonly refreshRetryAt?: number | undefined;
}

/** How long before its token's expiry the last retry of a failed refresh goes out, at the latest. */
export const LAST_REFRESH_RETRY_BEFORE_EXPIRY_MS = 60_000;

/** The fields the OTP rules read. */
export interface OtpRecord {
  readonly otpAttempts: number;
  readonly otpResends: number;
  readonly otpRequestedAt?: number | undefined;
}

/** A number in [0, 1) that is the same for the same token and differs between tokens. */
function spreadOf(authToken: string): number {
  // FNV-1a: cheap and well spread; no randomness, so a restored session agrees with itself.
  let hash = 0x811c9dc5;
  for (let i = 0; i < authToken.length; i++) {
    hash ^= authToken.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/**
 * When a new token's lead time starts: `refreshLeadMs` plus its share of `refreshJitterMs`
 * before expiry, but never earlier than half its lifetime. A token that lives less than the
 * lead would otherwise be due for refresh the moment it arrives, and every refresh would bring
 * another such token (a refresh storm).
 */
export function refreshAtFor(
  token: { readonly authToken: string; readonly expiresAt: number },
  receivedAt: number,
  config: Pick<SessionConfig, 'refreshLeadMs' | 'refreshJitterMs'>,
  renewWindowMs = Number.POSITIVE_INFINITY,
): number {
  const lifetime = Math.max(0, token.expiresAt - receivedAt);
  const lead =
    config.refreshLeadMs + Math.floor(spreadOf(token.authToken) * config.refreshJitterMs);
  // A provider that renews only late (NIC: the last 10 minutes) is asked inside its window,
  // with a minute's margin, so the renewal brings a new token rather than the same one.
  const window = Math.max(0, renewWindowMs - Math.min(60_000, renewWindowMs / 2));
  return token.expiresAt - Math.min(lead, lifetime / 2, window);
}

/**
 * Whether a provider starts its taxpayer sessions with the taxpayer's password (no OTP, no
 * person: NIC e-invoice, e-way bill). Such a session renews by itself in every `reauth` mode.
 */
export function isPasswordChallenge(provider: {
  readonly capabilities: ProviderCapabilities;
}): boolean {
  return provider.capabilities.challenge === 'password';
}

/**
 * The config a session of `provider` runs with: each option checked (or its default), and
 * `reauth` `auto` for a provider that logs in with the password, whatever was asked: a renewal
 * there interrupts nobody, and waiting for a person would only stop the app's calls.
 */
export function sessionConfigFor(
  input: object,
  where: string,
  provider: { readonly capabilities: ProviderCapabilities },
): SessionConfig {
  const config = resolveSessionConfig(input, where);
  return isPasswordChallenge(provider) ? { ...config, reauth: 'auto' } : config;
}

/**
 * Whether the held token may be refreshed: the provider can, no refresh of this token failed,
 * and the portal access duration (where known) has not ended: past it GSTN answers `AUTH4037`,
 * and only a new OTP helps.
 */
export function canRefreshToken(record: TokenRecord, canRefresh: boolean, now: number): boolean {
  const accessEnd = record.token?.accessExpiresAt;
  return canRefresh && !record.refreshFailed && (accessEnd === undefined || now < accessEnd);
}

/** When a held token's lead time starts (records saved before `refreshAt` existed: the configured lead). */
export function refreshAtOf(
  token: SessionToken,
  config: Pick<SessionConfig, 'refreshLeadMs'>,
): number {
  return token.refreshAt ?? token.expiresAt - config.refreshLeadMs;
}

/**
 * Whether a provider access token may still be used: present, with more than `skewMs` left.
 * A session renews one that is not; a manager shares one only while it is.
 */
export function isAccessFresh(
  access: { readonly expiresAt: number } | undefined,
  skewMs: number,
  now: number,
): boolean {
  return access !== undefined && access.expiresAt - skewMs > now;
}

/** Whether a token may be handed out now: present and not yet expired. */
export function isTokenUsable(token: SessionToken | undefined, now: number): token is SessionToken {
  return token !== undefined && token.expiresAt > now;
}

/** Whether the lead time of the held token has started. */
export function isRefreshDue(record: TokenRecord, config: SessionConfig, now: number): boolean {
  return record.token !== undefined && refreshAtOf(record.token, config) <= now;
}

/**
 * When a refresh that just failed for want of the provider is tried again, or `undefined`
 * when no try is left (retries off, a `maxRefreshRetries` spent, or no time left before
 * expiry: the last try is a minute before it, however long the gaps have grown). The delay
 * doubles at each failure, less up to a quarter that is the same for the same token and
 * failure (no randomness: a restored session agrees with itself, and a fleet spreads out),
 * and never shorter than the provider asked (`waitAtLeastMs`). `counted`: whether this failure
 * spends a try (not when nothing was sent).
 */
export function refreshRetryAtAfter(
  record: TokenRecord,
  config: Pick<SessionConfig, 'refreshRetryMs' | 'maxRefreshRetries'>,
  now: number,
  waitAtLeastMs = 0,
  counted = true,
): number | undefined {
  const { token } = record;
  // A try that sent nothing (the circuit breaker was open) is not counted, and waits at
  // least as long as the last counted one.
  const failures = Math.max(1, (record.refreshFailures ?? 0) + (counted ? 1 : 0));
  if (
    !token ||
    config.refreshRetryMs === 0 ||
    (config.maxRefreshRetries !== undefined && failures > config.maxRefreshRetries)
  )
    return undefined;
  const spread = 0.75 + 0.25 * spreadOf(`${token.authToken}#${failures}`);
  const last = token.expiresAt - LAST_REFRESH_RETRY_BEFORE_EXPIRY_MS;
  // A provider that said when to come back (a rate limit's Retry-After) is not asked sooner;
  // when that is past the last moment, no try is left.
  const wait = Math.max(
    Math.floor(config.refreshRetryMs * 2 ** (failures - 1) * spread),
    waitAtLeastMs,
  );
  if (last <= now || now + waitAtLeastMs > last) return undefined;
  return Math.min(now + wait, last);
}

/** The longest wait between two tries of a password login that failed for an outage. */
export const MAX_LOGIN_RETRY_MS = 5 * 60_000;

/**
 * When a password login (NIC) that failed for want of the provider (an outage, a rate limit)
 * is tried again: the refresh's backoff (`refreshRetryMs`, doubling, capped at 5 minutes,
 * spread by `seed` so a fleet's sessions do not come back together), never sooner than the
 * provider asked; `undefined` when retries are off or `maxRefreshRetries` is spent. Unlike a
 * refresh there is no token to outlive: a person cannot fix an outage, so it goes on.
 */
export function loginRetryAtAfter(
  record: { readonly refreshFailures?: number | undefined },
  config: Pick<SessionConfig, 'refreshRetryMs' | 'maxRefreshRetries'>,
  now: number,
  seed: string,
  waitAtLeastMs = 0,
  counted = true,
): number | undefined {
  const failures = Math.max(1, (record.refreshFailures ?? 0) + (counted ? 1 : 0));
  if (
    config.refreshRetryMs === 0 ||
    (config.maxRefreshRetries !== undefined && failures > config.maxRefreshRetries)
  )
    return undefined;
  const spread = 0.75 + 0.25 * spreadOf(`${seed}#${failures}`);
  const backoff = config.refreshRetryMs * 2 ** Math.min(failures - 1, 20) * spread;
  return now + Math.max(Math.floor(Math.min(MAX_LOGIN_RETRY_MS, backoff)), waitAtLeastMs);
}

/**
 * Whether a password login failed for something time may mend: an outage, a rate limit, an
 * open circuit breaker, a garbled or oversized answer (a proxy's error page), or the app's
 * password resolver failing (its vault away). Not a refusal of the password, the client or
 * the key, nor a bad input: only a person fixes those.
 */
export function isLoginFailureTransient(error: unknown): boolean {
  return (
    isProviderOutage(error) ||
    isGstrError(error, 'RateLimitedError') ||
    isGstrError(error, 'ProviderUnavailableError') ||
    isGstrError(error, 'ResponseValidationError') ||
    isGstrError(error, 'ResponseTooLargeError') ||
    isGstrError(error, 'ProviderHookError')
  );
}

/** Whether a password login that failed for an outage waits for its next try (no token held). */
export function isLoginRetryPending(record: TokenRecord): boolean {
  return record.token === undefined && record.refreshRetryAt !== undefined;
}

/** Whether a password login that failed for an outage is due to be tried again. */
export function isLoginRetryDue(record: TokenRecord, now: number): boolean {
  return isLoginRetryPending(record) && (record.refreshRetryAt ?? 0) <= now;
}

/** Whether a failed refresh of the held token is due to be tried again. */
export function isRefreshRetryDue(record: TokenRecord, now: number): boolean {
  return (
    record.token !== undefined &&
    !record.refreshFailed &&
    record.refreshRetryAt !== undefined &&
    record.refreshRetryAt <= now
  );
}

/**
 * The next moment an authenticated session must look at its token: the retry of a failed
 * refresh, or the lead time while it is unannounced (and no refresh of this token failed for
 * good), then the expiry. A lead time already past (a session restored, or woken, after no
 * worker ran at it: an outage, a deploy, a sleep) is due now: the token is refreshed at once
 * while it is still valid, never left to expire into an OTP.
 */
export function nextTokenDeadline(record: TokenRecord, config: SessionConfig): number | undefined {
  const { token } = record;
  if (!token) return undefined;
  if (record.refreshFailed) return token.expiresAt;
  // A failed refresh waits for its retry; an unannounced lead time is due (at once if past).
  if (record.refreshRetryAt !== undefined) return Math.min(record.refreshRetryAt, token.expiresAt);
  return !record.expiringNotified
    ? Math.min(refreshAtOf(token, config), token.expiresAt)
    : token.expiresAt;
}

/** Wrong OTPs the person may still type in this round. */
export function attemptsLeft(record: OtpRecord, config: SessionConfig): number {
  return Math.max(0, config.maxOtpAttempts - record.otpAttempts);
}

/** Whether one more wrong OTP still leaves the round open. */
export function hasAttemptsAfterThis(record: OtpRecord, config: SessionConfig): boolean {
  return record.otpAttempts + 1 < config.maxOtpAttempts;
}

/** Why a resend would be refused now, or `undefined` when it is allowed. */
export function resendRefusal(
  record: OtpRecord,
  config: SessionConfig,
  now: number,
): OtpResendRefusedError | undefined {
  if (record.otpResends >= config.maxOtpResends) return new OtpResendRefusedError('limit');
  const since =
    record.otpRequestedAt === undefined ? Number.POSITIVE_INFINITY : now - record.otpRequestedAt;
  if (since < config.otpResendCooldownMs) {
    return new OtpResendRefusedError('cooldown', config.otpResendCooldownMs - since);
  }
  return undefined;
}

/** Whether a session in `state` asks for a new OTP by itself (auto mode, once its token is gone). */
export function isAutoReauthDue(state: string, config: Pick<SessionConfig, 'reauth'>): boolean {
  return state === 'expired' && config.reauth === 'auto';
}

/**
 * What `credentials()` of a session that is logged out (never started, or logged out) does:
 * `start` it (auto mode: whoever asks first starts the one OTP round) or say that a person is
 * `needed` (manual mode). Other states are not affected.
 */
export function onDemandStart(
  state: string,
  config: Pick<SessionConfig, 'reauth'>,
): 'start' | 'needed' | undefined {
  if (state !== 'loggedOut') return undefined;
  return config.reauth === 'auto' ? 'start' : 'needed';
}

/**
 * The reason of a session's `reauth.required`, from how it ended (its token ran out or was
 * refused, or a step failed) and its record before the token was dropped.
 */
export function reauthReasonOf(
  record: { readonly token?: SessionToken | undefined; readonly error?: unknown },
  ended: 'timeout' | 'rejected' | 'failed',
  now: number,
): ReauthReason {
  const accessEnd = record.token?.accessExpiresAt;
  if (
    isGstrError(record.error, 'AccessNotEnabledError') ||
    (ended !== 'failed' && accessEnd !== undefined && accessEnd <= now)
  )
    return 'accessEnded';
  if (ended === 'failed') return isProviderOutage(record.error) ? 'failed' : 'refused';
  return ended === 'rejected' ? 'revoked' : 'expired';
}

/**
 * Whether `access.expiring` is due for the held token: the portal access duration (where the
 * provider reports it) ends within `accessNoticeMs`, and that end was not announced yet
 * (`accessNoticeFor` holds the end last announced: a refresh keeps it, a new OTP's window is
 * a new end). Looked at whenever a token arrives, so at least once per token lifetime.
 */
export function isAccessEndingUnannounced(
  record: {
    readonly token?: SessionToken | undefined;
    readonly accessNoticeFor?: number | undefined;
  },
  config: Pick<SessionConfig, 'accessNoticeMs'>,
  now: number,
): boolean {
  const accessEnd = record.token?.accessExpiresAt;
  return (
    accessEnd !== undefined &&
    config.accessNoticeMs > 0 &&
    accessEnd - now <= config.accessNoticeMs &&
    record.accessNoticeFor !== accessEnd
  );
}
