import { randomBytes, randomInt } from 'node:crypto';

/** GSTN's fixed sandbox OTP. */
export const SANDBOX_OTP = '575757';

/** What GSTN answered: a value, or an error code and message (as `{ error_cd, message }`). */
export type GstnOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** A token GSTN issued. */
export interface IssuedGstnToken {
  readonly authToken: string;
  readonly sek: string;
  readonly expiresAt: number;
}

/** Options of {@link createFakeGstn}. */
export interface FakeGstnOptions {
  readonly otpMode: 'random' | 'sandbox';
  readonly tokenLifetimeMs: number;
  readonly otpValidityMs: number;
  readonly now: () => number;
}

/**
 * The taxpayer side of GSTN, without any HTTP: OTPs sent by "SMS", their validity, the
 * exchange for tokens, refresh, revocation. Provider-neutral: every HTTP face of the mock
 * (Signzy's today) speaks to this one core, so the faces differ only in their wire format.
 */
export interface FakeGstn {
  /** Sends an OTP to the taxpayer; answers the challenge (appKey) that goes with it. */
  requestOtp(gstin: string, username: string): { readonly appKey: string };
  /** Exchanges an OTP and its appKey for a token; a wrong or stale one is an AUTH code. */
  verifyOtp(
    gstin: string,
    username: string,
    otp: string,
    appKey: string,
  ): GstnOutcome<IssuedGstnToken>;
  /** A new token for a valid one (the old one is revoked). */
  refresh(gstin: string, authToken: string, appKey: string): GstnOutcome<IssuedGstnToken>;
  /** Whether a token is one this GSTN issued (for `gstin`, when given) and is still valid. */
  isTokenValid(authToken: string, gstin?: string): boolean;
  /** The OTP pending for a GSTIN, as the SMS shows it. */
  otpFor(gstin: string): string | undefined;
  /** Ends every issued token, as if GSTN had dropped the sessions. */
  revokeAll(): void;
}

interface PendingOtp {
  readonly username: string;
  readonly otp: string;
  readonly appKey: string;
  readonly issuedAt: number;
  used: boolean;
}

interface Issued {
  readonly gstin: string;
  readonly appKey: string;
  readonly expiresAt: number;
  revoked: boolean;
}

function opaque(): string {
  return randomBytes(24).toString('hex');
}

/** Creates the {@link FakeGstn} core of the mock provider. */
export function createFakeGstn(options: FakeGstnOptions): FakeGstn {
  const { now } = options;
  const otps = new Map<string, PendingOtp>();
  const tokens = new Map<string, Issued>();
  const invalidSession = { ok: false, code: 'AUTH4033', message: 'Invalid Session' } as const;

  function issue(gstin: string, appKey: string): IssuedGstnToken {
    const authToken = opaque();
    const expiresAt = now() + options.tokenLifetimeMs;
    tokens.set(authToken, { gstin, appKey, expiresAt, revoked: false });
    return { authToken, sek: randomBytes(32).toString('base64'), expiresAt };
  }

  function valid(authToken: string, gstin?: string): Issued | undefined {
    const issued = tokens.get(authToken);
    const ok =
      issued &&
      !issued.revoked &&
      issued.expiresAt > now() &&
      (gstin === undefined || issued.gstin === gstin);
    return ok ? issued : undefined;
  }

  return {
    requestOtp(gstin, username) {
      const appKey = opaque();
      const otp =
        options.otpMode === 'sandbox'
          ? SANDBOX_OTP
          : String(randomInt(0, 1_000_000)).padStart(6, '0');
      otps.set(gstin, { username, otp, appKey, issuedAt: now(), used: false });
      return { appKey };
    },
    verifyOtp(gstin, username, otp, appKey) {
      const pending = otps.get(gstin);
      if (!pending || pending.used || pending.username !== username) return invalidSession;
      if (pending.appKey !== appKey) return invalidSession;
      if (now() - pending.issuedAt > options.otpValidityMs)
        return { ok: false, code: 'AUTH4033', message: 'OTP has expired' };
      if (pending.otp !== otp) return { ok: false, code: 'AUTH4034', message: 'Invalid OTP' };
      pending.used = true;
      return { ok: true, value: issue(gstin, appKey) };
    },
    refresh(gstin, authToken, appKey) {
      const issued = valid(authToken, gstin);
      if (!issued || issued.appKey !== appKey) return invalidSession;
      issued.revoked = true;
      return { ok: true, value: issue(gstin, issued.appKey) };
    },
    isTokenValid: (authToken, gstin) => valid(authToken, gstin) !== undefined,
    otpFor(gstin) {
      const pending = otps.get(gstin.trim().toUpperCase());
      return pending && !pending.used ? pending.otp : undefined;
    },
    revokeAll() {
      for (const issued of tokens.values()) issued.revoked = true;
    },
  };
}
