import { TimeoutError } from '../errors/TimeoutError.js';
import { WaitOptionsSchema } from '../schemas/options.js';
import { parseOptions } from '../schemas/parse.js';
import { onAbort } from '../time/abortable.js';
import { clampDelay } from '../time/delays.js';
import { DEFAULT_WAIT_MS } from './settle.js';
import type { EmittedOf, EmittedType, SessionClock, WaitOptions } from './types.js';

/** Anything that emits a session's events (a session, or a managed handle). */
interface Emitter {
  on<T extends EmittedType>(type: T, handler: (event: EmittedOf<T>) => void): () => void;
}

/**
 * The next event of a type, as a promise bounded like every wait: it rejects with the
 * signal's reason on abort, or with a `TimeoutError` after `timeoutMs` (default 15 min).
 */
export function onceOf<T extends EmittedType>(
  source: Emitter,
  type: T,
  clock: SessionClock,
  options: WaitOptions = {},
): Promise<EmittedOf<T>> {
  return new Promise((resolve, reject) => {
    parseOptions(WaitOptionsSchema, options, 'once');
    const { signal } = options;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const finish = (): void => {
      off();
      clock.clearTimeout(timer);
      unlink();
    };
    const off = source.on(type, (event) => {
      finish();
      resolve(event);
    });
    const timer = clock.setTimeout(() => {
      finish();
      reject(new TimeoutError(timeoutMs, { step: 'session', what: `once(${type})` }));
    }, clampDelay(timeoutMs));
    const unlink = onAbort(signal, () => {
      finish();
      reject(signal?.reason);
    });
  });
}
