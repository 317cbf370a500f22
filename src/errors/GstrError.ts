/** The step of the GSTR flow on which an error happened. */
export type GstrStep =
  | 'login'
  | 'requestOtp'
  | 'getAuthToken'
  | 'refreshToken'
  | 'logout'
  | 'call'
  | 'session';

/**
 * A brand shared across realms (worker threads, duplicated package copies), so that
 * `isGstrError` works where `instanceof` does not.
 */
const BRAND = Symbol.for('gstr-session.error');

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
  /** The step of the flow that failed. */
  readonly step: GstrStep;
  readonly [BRAND] = true;

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

/**
 * Tells whether a value is a {@link GstrError}, also across realms and package copies.
 * With a `name`, also checks the subclass by its name.
 *
 * @example
 * ```ts
 * if (isGstrError(error, 'OtpRejectedError')) askForTheOtpAgain();
 * ```
 */
export function isGstrError(value: unknown, name?: string): value is GstrError {
  if (typeof value !== 'object' || value === null) return false;
  if (!(value instanceof GstrError) && (value as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  return name === undefined || (value as Error).name === name;
}
