import { onAbort } from '../../src/time/abortable.js';

/**
 * Runs a request with a signal that follows `signal` only while the request runs.
 *
 * XState aborts an invoked promise's signal whenever the actor stops, also after the promise
 * has settled. Passed straight to ky, that late abort reaches the finished request's
 * connection: it costs about a tenth of a millisecond per request, which is as much as the
 * request itself on loopback. Cancelling a request that is still running works as before.
 */
export async function whileRunning<T>(
  signal: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const local = new AbortController();
  const unlink = onAbort(signal, () => local.abort(signal.reason));
  try {
    return await run(local.signal);
  } finally {
    unlink();
  }
}
