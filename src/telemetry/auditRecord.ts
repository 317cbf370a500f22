import type { ErrorSummary } from './errorSummary.js';

/** What a person did to a session (through the app, the CLI or a console). */
export const PERSON_ACTIONS = [
  'session.start',
  'otp.submit',
  'otp.resend',
  'session.reauthenticate',
  'session.logout',
] as const;

/** A person's action on a session. */
export type PersonAction = (typeof PERSON_ACTIONS)[number];

/**
 * One entry of the audit trail (`onAudit`): a provider call a session made, or an action of a
 * person on it. Built field by field from these alone: no message, no token, no OTP, no key
 * is ever in one, so a trail may go to a file or a SIEM as it is.
 */
export interface AuditRecord {
  /** When it began (ms since the epoch, on the session's clock). */
  readonly at: number;
  /** The session: its GSTIN and portal username. */
  readonly gstin: string;
  readonly username: string;
  /** `provider`: a call to the provider; `person`: something a person asked for. */
  readonly kind: 'provider' | 'person';
  /**
   * The provider step (`login`, `requestOtp` (an SMS), `getAuthToken`, `refreshToken`, `read`,
   * `logout`) or the person's action (`otp.submit`, `otp.resend`, `session.start`,
   * `session.reauthenticate`, `session.logout`).
   */
  readonly action: string;
  readonly outcome: 'ok' | 'error';
  /** How long it took until its outcome, in ms. */
  readonly durationMs: number;
  /** What failed (class, codes, HTTP status), when it did. */
  readonly error?: ErrorSummary | undefined;
}

/** Receives the audit trail; called synchronously, its failures are logged and ignored. */
export type AuditHook = (record: AuditRecord) => void;
