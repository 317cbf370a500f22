import type { GstrStep } from '../errors/GstrError.js';
import { ProviderHookError } from '../errors/ProviderHookError.js';
import type { StepDeadline } from '../time/deadline.js';

/** The kind of a thrown value, for an error that must not carry its message. */
function kindOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.name;
  return thrown === null ? 'null' : typeof thrown;
}

/**
 * Calls an app's hook inside a step: with the step's signal, within the step's deadline (a
 * hook that never settles cannot hold the step), and with whatever it throws turned into a
 * {@link ProviderHookError} that keeps no message (the hook's text may name a secret). An
 * abort of the step (deadline or caller) passes through as the step's own.
 */
export async function runHook<T>(
  hook: string,
  step: GstrStep,
  deadline: StepDeadline,
  call: (signal: AbortSignal) => T | Promise<T>,
): Promise<T> {
  try {
    return await deadline.within(Promise.resolve().then(() => call(deadline.signal)));
  } catch (thrown) {
    if (deadline.signal.aborted && thrown === deadline.signal.reason) throw thrown;
    throw new ProviderHookError(hook, kindOf(thrown), { step });
  }
}
