import type { InspectionEvent, Observer } from 'xstate';
import { redactDeep } from './redactDeep.js';

/** An XState v5 inspection observer, or a plain callback. */
export type Inspector = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

const guarded = new WeakMap<object, object>();

/**
 * An actor reference whose `getSnapshot()` answers a redacted copy: inspectors such as
 * `@statelyai/inspect` read the snapshot of a newly seen actor from its reference, and an
 * invoked request's snapshot holds its input (OTP, appKey, access token).
 */
function guard<T extends object>(ref: T | undefined): T | undefined {
  if (!ref) return ref;
  const known = guarded.get(ref);
  if (known) return known as T;
  const proxy = new Proxy(ref, {
    get(target, property) {
      if (property === 'getSnapshot' || property === 'getPersistedSnapshot') {
        const read = Reflect.get(target, property, target) as (() => unknown) | undefined;
        return () => redactDeep(read?.call(target));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  guarded.set(ref, proxy);
  return proxy;
}

/**
 * Wraps an XState v5 inspector (e.g. `@statelyai/inspect`'s, or your own) so that every
 * snapshot, event and actor input it receives has its secrets replaced first, also what it
 * reads through an actor reference.
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
    const { actorRef, sourceRef, ...rest } = event as InspectionEvent & Record<string, unknown>;
    const redacted = redactDeep(rest) as Record<string, unknown>;
    next({
      ...redacted,
      actorRef: guard(actorRef),
      sourceRef: guard(sourceRef as object | undefined),
    } as unknown as InspectionEvent);
  };
}
