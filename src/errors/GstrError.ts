/** The step of the GSTR flow on which an error happened. */
export type GstrStep =
  | 'login'
  | 'requestOtp'
  | 'getAuthToken'
  | 'authenticate'
  | 'refreshToken'
  | 'logout'
  | 'call'
  | 'session';

/**
 * A brand shared across realms (worker threads, duplicated package copies), so that
 * `isGstrError` works where `instanceof` does not.
 */
export const GSTR_ERROR_BRAND = Symbol.for('gstr-session.error');

/** Options common to every {@link GstrError}. */
export interface GstrErrorOptions {
  /** The step of the flow that failed. */
  readonly step: GstrStep;
  /** The underlying error, already stripped of anything secret. */
  readonly cause?: unknown;
}

/**
 * The base of every error this library throws or keeps in a session's context.
 *
 * Messages say what failed and on which step; they never contain a secret
 * (password, access token, OTP, appKey, authToken, sek).
 *
 * @example
 * ```ts
 * try { await session.submitOtp('123456'); }
 * catch (error) { if (isGstrError(error)) console.error(error.step, error.message); }
 * ```
 */
export class GstrError extends Error {
  override readonly name: string = 'GstrError';
  /**
   * A stable, machine-readable code of the error's class (`GSTR_OTP_REJECTED`...), for
   * switches, metrics and JSON APIs; the message is for people and may change. The codes are
   * listed in the guide's Errors section.
   */
  readonly code: string = 'GSTR_ERROR';
  /** The step of the flow that failed. */
  readonly step: GstrStep;
  readonly [GSTR_ERROR_BRAND] = true;

  constructor(message: string, options: GstrErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.step = options.step;
  }

  /** A plain, secret-free description for logs and JSON APIs. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'name' && key !== 'message' && value !== undefined) json[key] = value;
    }
    return json;
  }
}
