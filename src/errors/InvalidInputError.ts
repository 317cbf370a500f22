import { GstrError, type GstrStep } from './GstrError.js';

/**
 * Input was rejected before any HTTP request was sent (a malformed GSTIN, an OTP that is
 * not six digits, an empty username...). The offending value is never echoed back.
 */
export class InvalidInputError extends GstrError {
  override readonly name = 'InvalidInputError';
  override readonly code: string = 'GSTR_INVALID_INPUT';
  /** The input field that was rejected, e.g. `gstin` or `otp`. */
  readonly field: string;
  /** Why it was rejected, in words that contain no part of the value. */
  readonly reason: string;

  /**
   * @param options.where what was being set up when it is not a step of the flow, e.g.
   *   `signzyProvider` or `createSessionManager`.
   */
  constructor(
    field: string,
    reason: string,
    options: { step: GstrStep; cause?: unknown; where?: string | undefined },
  ) {
    super(`Invalid ${field} for ${options.where ?? options.step}: ${reason}`, options);
    this.field = field;
    this.reason = reason;
  }
}
