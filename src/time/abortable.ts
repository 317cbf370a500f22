/**
 * Runs `then` once `signal` aborts (at once when it has already), and returns the function
 * that stops listening. The one way the library listens to an abort: a listener that is never
 * removed keeps what it holds alive for as long as the signal lives (an app's signal may live
 * as long as the process).
 */
export function onAbort(signal: AbortSignal | undefined, then: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    then();
    return () => {};
  }
  signal.addEventListener('abort', then, { once: true });
  return () => signal.removeEventListener('abort', then);
}

/** `promise`, or a rejection with the signal's reason once it aborts (whichever comes first). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The losing promise may still reject later: that must not become an unhandled rejection.
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(signal.reason));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}
