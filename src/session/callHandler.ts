/**
 * Calls an app's event handler so that nothing it does can escape: a throw, or the rejection
 * of the promise an `async` handler returns, goes to `onError` instead of becoming an uncaught
 * exception or an unhandled rejection.
 */
export function callHandler<T>(
  handler: (event: T) => unknown,
  event: T,
  onError: (error: unknown) => void,
): void {
  try {
    const result = handler(event);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, onError);
    }
  } catch (error) {
    onError(error);
  }
}
