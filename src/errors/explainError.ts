import type { GstrStep } from './GstrError.js';
import { isGstrError } from './isGstrError.js';

/** What a step is, in the words of the person who waits for it. */
const DOING: Readonly<Record<GstrStep, string>> = {
  login: 'logging in to the provider',
  requestOtp: 'asking for an OTP',
  getAuthToken: 'checking the OTP',
  authenticate: "logging in with the taxpayer's API password",
  refreshToken: 'renewing the auth token',
  logout: 'logging out',
  call: 'reading the return',
  session: 'keeping the session',
};

type Explained = (error: Record<string, unknown>, doing: string) => string;

/** One sentence per error code, the same for every provider. */
const EXPLAINED: Readonly<Record<string, Explained>> = {
  GSTR_INVALID_INPUT: (e) => `${String(e.field)} ${String(e.reason)}.`,
  GSTR_UNAUTHORIZED: (e, doing) =>
    e.step === 'login' || e.credentials === true
      ? `The provider refused the API credentials while ${doing}: check the username and password (or client id and secret) it gave you.`
      : `The provider refused its access token while ${doing}, also after logging in again.`,
  GSTR_OTP_REJECTED: () => 'That OTP was refused: check the six digits of the latest SMS.',
  GSTR_OTP_ATTEMPTS_EXCEEDED: (e) =>
    `The OTP was refused ${String(e.attempts)} times in a row, so the session stopped asking. Start again to have a new OTP sent.`,
  GSTR_OTP_EXPIRED: () => 'The OTP expired before it was used. Ask for a new one.',
  GSTR_OTP_RESEND_REFUSED: (e) =>
    e.reason === 'cooldown'
      ? `An OTP was sent moments ago; a new one can be sent in ${Math.ceil(Number(e.retryAfterMs ?? 0) / 1000)} s.`
      : 'No more OTPs can be sent in this round. Start again for a new one.',
  GSTR_TOKEN_REJECTED: (_e, doing) =>
    `GSTN no longer accepts the session's auth token (while ${doing}): a new OTP is needed.`,
  GSTR_ACCESS_NOT_ENABLED: () =>
    'GSTN refused API access for this taxpayer: API access is off, or the access period they chose is over. The taxpayer must enable it on the GST portal (Services > User Services > Manage API Access), then ask for a new OTP.',
  GSTR_CERTIFICATE_REJECTED: () =>
    "GSTN could not read what was encrypted under its public certificate: it has probably been renewed. Configure GSTN's current certificate.",
  GSTR_PROVIDER_UNAVAILABLE: (e, doing) =>
    `The provider or GSTN is down or overloaded (HTTP ${String(e.status)}) while ${doing}. Try again later; nothing is lost.`,
  GSTR_RATE_LIMITED: (e, doing) =>
    `The provider is refusing for a while: too many requests while ${doing}.${e.retryAfterMs === undefined ? ' Try again later.' : ` Try again in ${Math.ceil(Number(e.retryAfterMs) / 1000)} s.`}`,
  GSTR_PROVIDER_HTTP: (e, doing) =>
    `The provider refused the request while ${doing} (HTTP ${String(e.status)}${e.providerMessage ? `: ${String(e.providerMessage)}` : ''}).`,
  GSTR_RESPONSE_VALIDATION: (e, doing) =>
    `The provider's answer was not what its API promises while ${doing} (${String(e.field)}).`,
  GSTR_RESPONSE_TOO_LARGE: (_e, doing) =>
    `The provider's answer was larger than allowed while ${doing}; it was read no further.`,
  GSTR_PROVIDER_HOOK: (e, doing) =>
    `Your ${String(e.hook)} hook failed (${String(e.causeName)}) while ${doing}.`,
  GSTR_TIMEOUT: (e, doing) =>
    `No answer${e.host ? ` from ${String(e.host)}` : ''} within ${Math.round(Number(e.timeoutMs) / 1000)} s while ${doing}. Try again; the provider may be slow.`,
  GSTR_NETWORK: (e, doing) =>
    `Could not reach ${e.host ? String(e.host) : 'the provider'} while ${doing}${e.systemCode ? ` (${String(e.systemCode)})` : ''}. Check the network and the address.`,
  GSTR_REAUTHENTICATION_REQUIRED: (e) =>
    e.reason === 'notAuthenticated'
      ? `${String(e.gstin)} has no session here yet: start one and type the OTP the taxpayer receives.`
      : e.reason === 'refused'
        ? `GSTN refused the auth token of ${String(e.gstin)}: a new OTP is needed.`
        : `The session of ${String(e.gstin)} has expired: a new OTP is needed.`,
  GSTR_STORE: (e) => `The saved sessions could not be read or written: ${String(e.problem)}.`,
  GSTR_STORE_UNAVAILABLE: () =>
    'The shared store (Redis) cannot be reached right now. Tokens already held still work.',
};

/**
 * What an error means, in a person's words, the same for every provider: for a command line,
 * a support screen or an operator's log. The step is said as what the person waits for
 * ("asking for an OTP", not `requestOtp`), a GSTN code is named at the end for support, and no
 * secret is in it (it is built from the error's own secret-free fields).
 *
 * @example
 * ```ts
 * try { await session.submitOtp(otp); }
 * catch (error) { console.error(explainError(error)); }
 * ```
 */
export function explainError(error: unknown): string {
  if (!isGstrError(error)) return error instanceof Error ? error.message : String(error);
  const fields = error as unknown as Record<string, unknown>;
  const explain = EXPLAINED[error.code];
  const text = explain ? explain(fields, DOING[error.step] ?? error.step) : error.message;
  const providerCode = fields.providerCode;
  return typeof providerCode === 'string' && providerCode !== ''
    ? `${text} (code ${providerCode})`
    : text;
}
