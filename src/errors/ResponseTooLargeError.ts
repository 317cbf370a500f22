import { GstrError, type GstrStep } from './GstrError.js';

/**
 * The provider's answer was larger than the step allows (`maxResponseBytes`): it was read no
 * further. A hostile or broken provider cannot make the library buffer an unbounded body.
 */
export class ResponseTooLargeError extends GstrError {
  override readonly name = 'ResponseTooLargeError';
  override readonly code: string = 'GSTR_RESPONSE_TOO_LARGE';
  /** The limit that was exceeded, in bytes. */
  readonly limitBytes: number;
  /** The host that sent the answer. */
  readonly host: string | undefined;

  constructor(limitBytes: number, options: { step: GstrStep; host?: string | undefined }) {
    super(
      `${options.step} failed: the answer${options.host ? ` of ${options.host}` : ''} is larger than ${limitBytes} bytes`,
      options,
    );
    this.limitBytes = limitBytes;
    this.host = options.host;
  }
}
