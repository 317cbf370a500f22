import { GstrError, type GstrStep } from './GstrError.js';

/** A request, or a wait for the session, took longer than allowed. */
export class TimeoutError extends GstrError {
  override readonly name = 'TimeoutError';
  override readonly code: string = 'GSTR_TIMEOUT';
  /** The limit that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options: { step: GstrStep; cause?: unknown; what?: string }) {
    super(`${options.what ?? options.step} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}
