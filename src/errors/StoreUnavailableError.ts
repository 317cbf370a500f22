import { StoreError } from './StoreError.js';

/**
 * The shared store (Redis) could not be reached in time: disconnected, stopped, paused or
 * too slow. Transient: nothing is marked unreadable, and the same call may succeed once the
 * store is back. Work that needs the store fails fast with it instead of hanging; tokens a
 * worker already holds are still served from its memory.
 */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  override readonly code: string = 'GSTR_STORE_UNAVAILABLE';
  /** What the store was asked to do, e.g. `lock`, `commit`, `load`. */
  readonly operation: string;

  constructor(key: string, operation: string, why: string) {
    super(key, `the store is unavailable (${operation}: ${why})`);
    this.operation = operation;
  }
}
