import { GstrError, type GstrStep } from './GstrError.js';

/**
 * The provider answered 2xx, but the body was not JSON or lacked a field the flow needs
 * (a missing `authToken`, a non-numeric `expiry`...). Not a transport error: retrying the
 * same request will usually not help.
 */
export class ResponseValidationError extends GstrError {
  override readonly name = 'ResponseValidationError';
  override readonly code: string = 'GSTR_RESPONSE_VALIDATION';
  /** The dotted path of the first offending field, or `body` when it was not JSON. */
  readonly field: string;

  constructor(field: string, problem: string, options: { step: GstrStep; cause?: unknown }) {
    super(`${options.step} returned an invalid response: ${field} ${problem}`, options);
    this.field = field;
  }
}
