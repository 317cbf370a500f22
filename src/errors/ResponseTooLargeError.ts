import { GstrError, type GstrStep } from './GstrError.js';

/**
 * The provider's answer was larger than the step allows (`maxResponseBytes`), or the files of
 * a large answer together larger than the read allows (`maxReadBytes`, `whole`): it was read
 * no further. A hostile or broken provider cannot make the library buffer an unbounded body.
 */
export class ResponseTooLargeError extends GstrError {
  override readonly name = 'ResponseTooLargeError';
  override readonly code: string = 'GSTR_RESPONSE_TOO_LARGE';
  /** The limit that was exceeded, in bytes. */
  readonly limitBytes: number;
  /** The host that sent the answer. */
  readonly host: string | undefined;

  /** Whether the limit was the whole read's (every file of a large answer together). */
  readonly whole: boolean;

  constructor(
    limitBytes: number,
    options: { step: GstrStep; host?: string | undefined; whole?: boolean | undefined },
  ) {
    const what = options.whole
      ? 'the files of the answer together are'
      : `the answer${options.host ? ` of ${options.host}` : ''} is`;
    super(`${options.step} failed: ${what} larger than ${limitBytes} bytes`, {
      step: options.step,
    });
    this.limitBytes = limitBytes;
    this.host = options.host;
    this.whole = options.whole === true;
  }
}
