import type { GstrStep } from '../errors/GstrError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { type StepDeadline, stepDeadline } from '../time/deadline.js';

/**
 * Runs one step of a provider under one deadline that covers every await of it (the app's
 * hooks, each request, a certificate renewal). A step its caller stopped rejects with the
 * caller's reason; one that ran out of time with a `TimeoutError` naming the step and host;
 * any other failure as it failed. The one way a provider that owns its steps runs them.
 */
export async function runStep<T>(
  step: GstrStep,
  host: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: (deadline: StepDeadline) => Promise<T>,
): Promise<T> {
  const deadline = stepDeadline(timeoutMs, signal);
  try {
    return await run(deadline);
  } catch (error) {
    throw (
      deadline.stopped(
        error,
        () => new TimeoutError(timeoutMs, { step, what: `${step} at ${host}`, host }),
      ) ?? error
    );
  } finally {
    deadline.clear();
  }
}
