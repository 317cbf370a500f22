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
  /** The SEK, base64 of 32 bytes. */
  readonly sek: string;
  readonly expiresAt: number;
  /** When the taxpayer's API access duration ends (set when the session began with an OTP). */
  readonly accessExpiresAt: number | undefined;
}

/** What a read asks the fake GSTN for, in GSTN's terms. */
export interface FakeRead {
  /** GSTN's action (`RETSUM`, `B2B`, `GET2B`, `GETPREF`, `RETSTATUS`) or a provider's task. */
  readonly action: string;
  readonly retPeriod?: string | undefined;
}

/** The deterministic sample data of a read: the same question always gets the same answer. */
export function sampleReadData(gstin: string, what: FakeRead): Record<string, unknown> {
  const action = what.action.toUpperCase();
  const base = { gstin, ...(what.retPeriod ? { ret_period: what.retPeriod } : {}) };
  if (action === 'RETSUM' || action === 'SUMMARY') {
    return { ...base, sup_details: { osup_det: { txval: 100000, iamt: 18000, camt: 0, samt: 0 } } };
  }
  if (action === 'GETPREF' || action === 'FILINGPREFERENCE') {
    return { ...base, response: [{ quarter: 'Q1', preference: 'M' }] };
  }
  if (action === 'RETSTATUS' || action === 'RETURNSTATUS') {
    return { ...base, status_cd: 'P', form_typ: 'GSTR3B' };
  }
  const section = action === 'GET2B' || action === 'GSTR2B' ? 'b2b' : action.toLowerCase();
  return {
    ...base,
    [section]: [
      {
        ctin: '33GSPTN0231G1ZM',
        inv: [
          {
            inum: 'INV-001',
            idt: '01-04-2024',
            val: 1180,
            itms: [{ num: 1, txval: 1000, iamt: 180 }],
          },
        ],
      },
    ],
  };
}

/** Options of {@link createFakeGstn}. */
export interface FakeGstnOptions {
  readonly otpMode: 'random' | 'sandbox';
  readonly tokenLifetimeMs: number;
  readonly otpValidityMs: number;
  /**
   * The API access duration the taxpayer chose on the portal: past it, a refresh is refused
   * with `AUTH4037` and only a new OTP helps. Default: none (refresh forever).
   */
  readonly accessDurationMs?: number | undefined;
  /**
   * Whether a refresh revokes the token it replaces. Default true: the stricter reading (GSTN
   * does not say), under which a refresh answered to a process that then died leaves the only
   * valid token with it.
   */
  readonly revokeOnRefresh?: boolean | undefined;
  readonly now: () => number;
}

/**
 * The taxpayer side of GSTN, without any HTTP: OTPs sent by "SMS", their validity, the
 * exchange for tokens, refresh, revocation. Provider-neutral: every HTTP face of the mock
 * (Signzy's today) speaks to this one core, so the faces differ only in their wire format.
 */
export interface FakeGstn {
  /**
   * Sends an OTP to the taxpayer; answers the challenge (appKey) that goes with it: the
   * client's own where it brings one (GSTN direct), else a new one (Signzy).
   */
  requestOtp(gstin: string, username: string, appKey?: string): { readonly appKey: string };
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
  /** A valid token's app key and SEK (GSTN direct decrypts with them), or `undefined`. */
  keysOf(
    authToken: string,
    gstin?: string,
  ): { readonly appKey: string; readonly sek: string } | undefined;
  /** Ends one token (a logout). */
  revoke(authToken: string): void;
  /**
   * Has every read of one token refused with `code` (a token GSTN dropped mid-workflow) while a
   * refresh of it still works: what a session sees when many reads are refused at once.
   */
  refuseReads(authToken: string, code: string): void;
  /**
   * What a read of a valid token answers: deterministic sample data of the return asked for
   * (by its GSTN action and period), or `AUTH4038` for a token that is not valid.
   */
  read(gstin: string, authToken: string, what: FakeRead): GstnOutcome<Record<string, unknown>>;
  /** The challenge (appKey) of the OTP round pending for a GSTIN, if any. */
  challengeOf(gstin: string): string | undefined;
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
  readonly sek: string;
  readonly expiresAt: number;
  readonly accessExpiresAt: number | undefined;
  revoked: boolean;
  readsRefusedWith?: string;
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

  function issue(
    gstin: string,
    appKey: string,
    accessExpiresAt: number | undefined,
  ): IssuedGstnToken {
    const authToken = opaque();
    const expiresAt = now() + options.tokenLifetimeMs;
    const sek = randomBytes(32).toString('base64');
    tokens.set(authToken, { gstin, appKey, sek, expiresAt, accessExpiresAt, revoked: false });
    return { authToken, sek, expiresAt, accessExpiresAt };
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
    requestOtp(gstin, username, clientAppKey) {
      const appKey = clientAppKey ?? opaque();
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
      const duration = options.accessDurationMs;
      return {
        ok: true,
        value: issue(gstin, appKey, duration === undefined ? undefined : now() + duration),
      };
    },
    refresh(gstin, authToken, appKey) {
      const issued = valid(authToken, gstin);
      if (!issued || issued.appKey !== appKey) return invalidSession;
      if (issued.accessExpiresAt !== undefined && issued.accessExpiresAt <= now()) {
        return {
          ok: false,
          code: 'AUTH4037',
          message:
            'API access is not available or user expiry Duration is less than or equal to auth token expiry duration',
        };
      }
      if (options.revokeOnRefresh !== false) issued.revoked = true;
      return { ok: true, value: issue(gstin, issued.appKey, issued.accessExpiresAt) };
    },
    isTokenValid: (authToken, gstin) => valid(authToken, gstin) !== undefined,
    keysOf(authToken, gstin) {
      const issued = valid(authToken, gstin);
      return issued ? { appKey: issued.appKey, sek: issued.sek } : undefined;
    },
    read(gstin, authToken, what) {
      if (!valid(authToken, gstin)) {
        return {
          ok: false,
          code: 'AUTH4038',
          message: 'Session expired: the auth token is invalid',
        };
      }
      const refused = tokens.get(authToken)?.readsRefusedWith;
      if (refused) return { ok: false, code: refused, message: 'the auth token was refused' };
      return { ok: true, value: sampleReadData(gstin, what) };
    },
    refuseReads(authToken, code) {
      const issued = tokens.get(authToken);
      if (issued) issued.readsRefusedWith = code;
    },
    revoke(authToken) {
      const issued = tokens.get(authToken);
      if (issued) issued.revoked = true;
    },
    challengeOf: (gstin) => otps.get(gstin)?.appKey,
    otpFor(gstin) {
      const pending = otps.get(gstin.trim().toUpperCase());
      return pending && !pending.used ? pending.otp : undefined;
    },
    revokeAll() {
      for (const issued of tokens.values()) issued.revoked = true;
    },
  };
}
