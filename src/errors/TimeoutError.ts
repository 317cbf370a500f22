import { GstrError, type GstrStep } from './GstrError.js';

/** A request, or a wait for the session, took longer than allowed. */
export class TimeoutError extends GstrError {
  override readonly name = 'TimeoutError';
  override readonly code: string = 'GSTR_TIMEOUT';
  /** The limit that ran out, in milliseconds. */
  readonly timeoutMs: number;
  /** The host that did not answer in time, when a request did not. */
  readonly host: string | undefined;

  constructor(
    timeoutMs: number,
    options: { step: GstrStep; cause?: unknown; what?: string; host?: string | undefined },
  ) {
    super(`${options.what ?? options.step} timed out after ${timeoutMs} ms`, {
      step: options.step,
      cause: options.cause,
    });
    this.timeoutMs = timeoutMs;
    this.host = options.host;
  }
}
