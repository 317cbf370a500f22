import { GstrError } from './GstrError.js';

/**
 * A session store could not read or write a session: a file it cannot parse, a record that
 * fails decryption (wrong key or tampered), an I/O failure. Never garbage data.
 */
export class StoreError extends GstrError {
  override readonly name: string = 'StoreError';
  override readonly code: string = 'GSTR_STORE';
  /** The store's key of the session, e.g. `27AAPFU0939F1ZV/portal-user`. */
  readonly key: string;
  /** What went wrong, without the key (e.g. `cannot decrypt: wrong key, ...`). */
  readonly problem: string;

  constructor(key: string, problem: string, cause?: unknown) {
    super(`session store: ${key}: ${problem}`, { step: 'session', cause });
    this.key = key;
    this.problem = problem;
  }
}
