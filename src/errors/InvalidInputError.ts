import { GstrError, type GstrStep } from './GstrError.js';

/**
 * Input was rejected before any HTTP request was sent (a malformed GSTIN, an OTP that is
 * not six digits, an empty username...). The offending value is never echoed back.
 */
export class InvalidInputError extends GstrError {
  override readonly name = 'InvalidInputError';
  /** The input field that was rejected, e.g. `gstin` or `otp`. */
  readonly field: string;
  /** Why it was rejected, in words that contain no part of the value. */
  readonly reason: string;

  constructor(field: string, reason: string, options: { step: GstrStep; cause?: unknown }) {
    super(`Invalid ${field} for ${options.step}: ${reason}`, options);
    this.field = field;
    this.reason = reason;
  }
}
