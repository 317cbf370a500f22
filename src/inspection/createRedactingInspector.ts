import type { InspectionEvent, Observer } from 'xstate';
import { redactDeep } from './redactDeep.js';

/** An XState v5 inspection observer, or a plain callback. */
export type Inspector = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/**
 * Wraps an XState v5 inspector (e.g. `@statelyai/inspect`'s, or your own) so that every
 * snapshot, event and actor input it receives has its secrets replaced first. The actor
 * reference is kept (inspectors need it for identity); everything else is a redacted copy.
 *
 * @example
 * ```ts
 * import { createBrowserInspector } from '@statelyai/inspect';
 * const session = createGstrSession({ ..., inspect: createRedactingInspector(createBrowserInspector().inspect) });
 * ```
 */
export function createRedactingInspector(inner: Inspector): (event: InspectionEvent) => void {
  const next =
    typeof inner === 'function' ? inner : (event: InspectionEvent) => inner.next?.(event);
  return (event) => {
    // Actor references are kept as they are: inspectors use them for identity, and they
    // carry no data of their own.
    const { actorRef, sourceRef, ...rest } = event as InspectionEvent & Record<string, unknown>;
    const redacted = redactDeep(rest) as Record<string, unknown>;
    next({ ...redacted, actorRef, sourceRef } as unknown as InspectionEvent);
  };
}
