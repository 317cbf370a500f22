import type { InspectionEvent, Observer } from 'xstate';
import { redactDeep } from '../secrets/redactDeep.js';

/** An XState v5 inspection observer, or a plain callback. */
export type Inspector = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/** The few members of an actor reference that inspectors read. */
interface RefLike {
  readonly id: string;
  readonly sessionId: string;
  readonly _parent?: RefLike | undefined;
  readonly logic?: { readonly config?: unknown } | undefined;
  getSnapshot(): unknown;
}

const standIns = new WeakMap<object, RefLike>();
const definitions = new WeakMap<object, unknown>();

/** A machine's definition as plain data (functions dropped), computed once per logic. */
function definitionOf(logic: unknown): unknown {
  if (typeof logic !== 'object' || logic === null) return undefined;
  if (!definitions.has(logic)) {
    definitions.set(logic, redactDeep((logic as { config?: unknown }).config));
  }
  return definitions.get(logic);
}

/**
 * A stand-in for an actor reference: its id, session id, parent (as a stand-in), plain
 * definition, and a `getSnapshot()` that answers a redacted copy. It holds no path to the
 * real actor (its `_snapshot`, `options.input`, children or system), so no inspector can
 * reach a secret through it by any property path, nor print one with `util.inspect`.
 */
function standIn(ref: unknown): RefLike | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const known = standIns.get(ref);
  if (known) return known;
  const real = ref as RefLike;
  const read = (): unknown => {
    try {
      return redactDeep(real.getSnapshot());
    } catch {
      return undefined;
    }
  };
  const stand: RefLike = Object.freeze({
    id: String(real.id),
    sessionId: String(real.sessionId),
    _parent: standIn(real._parent),
    logic: Object.freeze({ config: definitionOf(real.logic) }),
    getSnapshot: read,
  });
  standIns.set(ref, stand);
  return stand;
}

/**
 * Wraps an XState v5 inspector (e.g. `@statelyai/inspect`'s, or your own) so that every
 * event it receives is a redacted copy: snapshots, events and actor inputs with their
 * secrets replaced, and actor references replaced by stand-ins that lead nowhere secret.
 * An inspector that throws is ignored: watching a session can never break it.
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
    try {
      const { actorRef, sourceRef, ...rest } = event as InspectionEvent & Record<string, unknown>;
      const redacted = redactDeep(rest) as Record<string, unknown>;
      next({
        ...redacted,
        actorRef: standIn(actorRef),
        ...(sourceRef === undefined ? {} : { sourceRef: standIn(sourceRef) }),
      } as unknown as InspectionEvent);
    } catch {
      // An inspector is an observer; its failure must not reach the session.
    }
  };
}
