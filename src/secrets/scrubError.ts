import { GstrError, type GstrStep } from '../errors/GstrError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { hasSecret, redactText } from './redactText.js';
import { MIN_SECRET_LENGTH, SECRET_KEYS } from './secretFields.js';

/** How deep the search goes: as deep as the key search it replaced (8 + 12 levels) reached. */
const MAX_DEPTH = 20;

/** Whether any string reachable from `value` (own properties, causes, arrays) holds a secret. */
function holdsSecret(
  value: unknown,
  secrets: ReadonlySet<string>,
  seen: WeakSet<object>,
  depth: number,
): boolean {
  if (typeof value === 'string') return hasSecret(value, secrets);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value))
    return false;
  seen.add(value);
  let names: string[];
  try {
    names = Object.getOwnPropertyNames(value);
  } catch {
    return true;
  }
  for (const name of names) {
    let child: unknown;
    try {
      child = (value as Record<string, unknown>)[name];
    } catch {
      return true;
    }
    // A secret under a secret key is a secret even when the list above did not know it.
    // Checked here, node by node, as the walk passes: one walk, not one per level.
    if (SECRET_KEYS.has(name) && typeof child === 'string' && child.length >= MIN_SECRET_LENGTH)
      return true;
    if (holdsSecret(child, secrets, seen, depth + 1)) return true;
  }
  return false;
}

/**
 * A copy of a GstrError with every secret blanked in each of its own string properties
 * (message, stack, providerMessage...), the same class and name, and no `cause` if the cause
 * holds a secret. Built without the constructor, so every subclass copies the same way.
 */
function blankedCopy(error: GstrError, secrets: ReadonlySet<string>): GstrError {
  const clone = Object.create(Object.getPrototypeOf(error) as object) as GstrError;
  for (const name of Object.getOwnPropertyNames(error)) {
    if (name === 'cause') continue;
    const value = (error as unknown as Record<string, unknown>)[name];
    Object.defineProperty(clone, name, {
      value: typeof value === 'string' ? redactText(value, secrets) : value,
      enumerable: Object.getOwnPropertyDescriptor(error, name)?.enumerable ?? false,
      writable: false,
      configurable: true,
    });
  }
  if (error.cause !== undefined && !holdsSecret(error.cause, secrets, new WeakSet(), 0)) {
    Object.defineProperty(clone, 'cause', { value: error.cause, enumerable: false });
  }
  return clone;
}

/**
 * Makes any failure a {@link GstrError} that holds none of `secrets`: the session knows the
 * OTP it submits and every token it holds, so whatever a provider (the built-in ones, or an
 * app's own on the `GstrProvider` interface) throws is blanked before it reaches a state, a
 * log, an event or an inspector. A foreign error becomes a `GstrError` naming the step with
 * its message blanked; a `cause` is kept only when no secret can be reached through it.
 */
export function scrubError(error: unknown, step: GstrStep, secrets: Iterable<string>): GstrError {
  const known = new Set(secrets);
  if (isGstrError(error)) {
    return holdsSecret(error, known, new WeakSet(), 0) ? blankedCopy(error, known) : error;
  }
  let what: string;
  try {
    what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    what = 'an unprintable error';
  }
  const clean = !holdsSecret(error, known, new WeakSet(), 0);
  return new GstrError(`${step} failed: ${redactText(what, known)}`, {
    step,
    ...(clean ? { cause: error } : {}),
  });
}
