import type * as v from 'valibot';
import type { SessionConfig } from '../src/schemas/sessionConfig.js';
import type { OTP_REASONS, SessionRecord, TokenRecordSchema } from './sessionRecord.js';

export type { ReauthMode, SessionConfig } from '../src/schemas/sessionConfig.js';
export { DEFAULT_SESSION_CONFIG } from '../src/schemas/sessionConfig.js';

import type { GstrError } from '../src/errors/GstrError.js';
import type { GstrProvider } from '../src/providers/GstrProvider.js';

export { OTP_REASONS } from './sessionRecord.js';

/** Why an OTP is being asked for. */
export type OtpReason = (typeof OTP_REASONS)[number];

/** The auth token as the session holds it. */
export type SessionToken = v.InferOutput<typeof TokenRecordSchema>;

/** What the machine is given: the provider, the taxpayer, the clock and the config. */
export interface GstrSessionInput extends Partial<SessionConfig> {
  readonly provider: GstrProvider;
  /** A valid, normalised GSTIN (the facade validates it). */
  readonly gstin: string;
  /** The taxpayer's GST portal username. */
  readonly username: string;
  /** Wall-clock time in epoch ms. Default `Date.now`; pass a simulated clock's `now` in tests. */
  readonly now?: () => number;
}

/** What the machine depends on but never persists. */
export interface SessionDeps {
  readonly provider: GstrProvider;
  readonly now: () => number;
}

/**
 * The session's context: its dependencies and config, who it is for, its own data (the
 * {@link SessionRecord}: tokens, deadlines, counters) and the last error.
 */
export type GstrSessionContext = Readonly<SessionRecord> & {
  readonly deps: SessionDeps;
  readonly config: SessionConfig;
  readonly gstin: string;
  readonly username: string;
  /** The last error, kept until the next success. */
  readonly error: GstrError | undefined;
};

/** Events the session accepts. */
export type GstrSessionEvent =
  | { readonly type: 'session.start' }
  | { readonly type: 'otp.submit'; readonly otp: string }
  | { readonly type: 'otp.resend' }
  | { readonly type: 'session.reauthenticate' }
  | { readonly type: 'session.logout' }
  | {
      readonly type: 'token.rejected';
      /** The token GSTN refused; without it, the token held now. */
      readonly authToken?: string | undefined;
    }
  | { readonly type: 'clock.tick' };

/**
 * Why a session needs a person again (`reauth.required`): its token ran out (`expired`), the
 * portal access duration the taxpayer chose ended (`accessEnded`: GSTN answers `AUTH4037`
 * past it, only a new OTP helps), GSTN refused the token (`revoked`), a step was refused
 * for good (`refused`: wrong OTPs, refused credentials), or a step failed for want of the
 * provider and was given up (`failed`).
 */
export const REAUTH_REASONS = ['expired', 'accessEnded', 'revoked', 'refused', 'failed'] as const;

/** Why a session needs a person again (see {@link REAUTH_REASONS}). */
export type ReauthReason = (typeof REAUTH_REASONS)[number];

/** Events the session emits (listen with `session.on(type, handler)`). No secret is in any. */
export type GstrSessionEmitted =
  | {
      readonly type: 'otp.required';
      readonly gstin: string;
      readonly reason: OtpReason;
      readonly otpExpiresAt: number;
      readonly attemptsLeft: number;
    }
  | { readonly type: 'otp.expired'; readonly gstin: string }
  | {
      readonly type: 'session.authenticated';
      readonly gstin: string;
      readonly expiresAt: number;
      readonly refreshed: boolean;
    }
  | { readonly type: 'session.expiring'; readonly gstin: string; readonly expiresAt: number }
  | {
      /** Every try to refresh the token failed (an outage): it will run out at `expiresAt`. */
      readonly type: 'refresh.failed';
      readonly gstin: string;
      readonly expiresAt: number;
      readonly attempts: number;
      readonly error: GstrError | undefined;
    }
  | {
      readonly type: 'session.expired';
      readonly gstin: string;
      readonly reason: 'timeout' | 'rejected';
    }
  | { readonly type: 'session.failed'; readonly gstin: string; readonly error: GstrError }
  | { readonly type: 'session.error'; readonly gstin: string; readonly error: GstrError }
  | { readonly type: 'session.loggedOut'; readonly gstin: string }
  | {
      /**
       * A person is needed again (one event per need, for an SMS, e-mail or task): the token
       * ran out or was refused, the portal access duration ended, or a step failed for good.
       */
      readonly type: 'reauth.required';
      readonly gstin: string;
      readonly reason: ReauthReason;
      readonly error: GstrError | undefined;
    }
  | {
      /**
       * The portal access duration the taxpayer chose ends within `accessNoticeMs`: after
       * `accessExpiresAt` only a new OTP helps. Once per end.
       */
      readonly type: 'access.expiring';
      readonly gstin: string;
      readonly accessExpiresAt: number;
    };

/** Every type of event the session emits, for code that listens to all of them. */
export const EMITTED_EVENT_TYPES: readonly GstrSessionEmitted['type'][] = [
  'otp.required',
  'otp.expired',
  'session.authenticated',
  'session.expiring',
  'refresh.failed',
  'session.expired',
  'session.failed',
  'session.error',
  'session.loggedOut',
  'reauth.required',
  'access.expiring',
];

/** The session's stable states: where it can rest and be persisted. */
export const STABLE_STATES = [
  'loggedOut',
  'otpRequested',
  'otpExpired',
  'authenticated',
  'expired',
  'failed',
] as const;

/** A stable state: where a session can rest and be persisted. */
export type StableState = (typeof STABLE_STATES)[number];

/** The states with a request in flight, every value. */
export const TRANSIENT_STATE_NAMES = [
  'loggingIn',
  'authenticating',
  'requestingOtp',
  'verifyingOtp',
  'refreshing',
  'loggingOut',
] as const;

/** Every state of the session, stable and transient. */
export type SessionState = StableState | (typeof TRANSIENT_STATE_NAMES)[number];

/** The states with a request in flight: a session never rests in one. */
export const TRANSIENT_STATES: ReadonlySet<SessionState> = new Set<SessionState>(
  TRANSIENT_STATE_NAMES,
);
