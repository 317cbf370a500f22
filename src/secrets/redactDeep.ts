import { credentialsOf } from './providerCredentials.js';
import { redactText } from './redactText.js';
import { MIN_SECRET_LENGTH, REDACTED, SECRET_KEYS } from './secretFields.js';

/** Keys that hold live dependencies (provider client, clock), never data worth showing. */
const DEPENDENCY_KEYS: ReadonlySet<string> = new Set(['deps', 'provider']);

const MAX_DEPTH = 12;

function isActorRef(value: object): value is { id: string; sessionId: string } {
  return (
    typeof (value as { send?: unknown }).send === 'function' &&
    typeof (value as { sessionId?: unknown }).sessionId === 'string'
  );
}

/**
 * An object's own enumerable entries, read defensively: a getter that throws, or a hostile
 * proxy, yields a placeholder instead of breaking the caller (a logger or an inspector).
 */
function entriesOf(value: object): [string, unknown][] {
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return [];
  }
  return keys.map((key) => {
    try {
      return [key, (value as Record<string, unknown>)[key]];
    } catch {
      return [key, '[unreadable]'];
    }
  });
}

/**
 * The plain form of an object: machine snapshots and GstrErrors know theirs (without the
 * machine definition, live children or stack), actors are named by id, errors by name and message.
 */
function plain(value: object): unknown {
  try {
    if (isActorRef(value)) return { actorId: value.id, sessionId: value.sessionId };
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function' && !(value instanceof Date)) return toJSON.call(value);
    if (value instanceof Error) return { name: value.name, message: value.message };
  } catch {
    return '[unreadable]';
  }
  return value;
}

/** The credentials of a provider held as `provider`, or inside `deps`. */
function addCredentials(dependency: unknown, found: Set<string>): void {
  const held = [dependency, (dependency as { provider?: unknown } | null)?.provider];
  for (const value of held) {
    for (const secret of credentialsOf(value)) {
      if (secret.length >= MIN_SECRET_LENGTH) found.add(secret);
    }
  }
}

/** `underSecret`: inside a value held by a secret key, where every string is a secret. */
function collect(
  value: unknown,
  found: Set<string>,
  seen: WeakSet<object>,
  depth: number,
  underSecret = false,
): void {
  if (typeof value === 'string') {
    if (underSecret && value.length >= MIN_SECRET_LENGTH) found.add(value);
    return;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return;
  seen.add(value);
  const form = plain(value);
  if (form !== value) {
    collect(form, found, seen, depth + 1, underSecret);
    return;
  }
  for (const [key, child] of entriesOf(value)) {
    if (DEPENDENCY_KEYS.has(key)) {
      // Not walked, but a provider's own credentials are secrets wherever they recur.
      addCredentials(child, found);
      continue;
    }
    collect(child, found, seen, depth + 1, underSecret || SECRET_KEYS.has(key));
  }
}

/**
 * Every secret value held in a structure: the strings under a secret key (see `SECRET_KEYS`)
 * at any depth, also inside a record held by one (a provider's `secrets`). Used to blank those values wherever else they recur.
 */
export function secretValuesIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  collect(value, into, new WeakSet(), 0);
  return into;
}

function copy(
  value: unknown,
  secrets: ReadonlySet<string>,
  seen: WeakMap<object, unknown>,
  depth: number,
): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return '[depth]';
  const known = seen.get(value);
  if (known !== undefined) return known;
  const form = plain(value);
  if (form !== value) return copy(form, secrets, seen, depth + 1);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const [, item] of entriesOf(value)) out.push(copy(item, secrets, seen, depth + 1));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, child] of entriesOf(value)) {
    if (DEPENDENCY_KEYS.has(key)) out[key] = `[${key}]`;
    else if (SECRET_KEYS.has(key) && child !== undefined && child !== null) out[key] = REDACTED;
    else out[key] = copy(child, secrets, seen, depth + 1);
  }
  return out;
}

/**
 * Returns a plain copy of any value with every secret replaced by `[redacted]`: values under
 * secret keys (password, accessToken, otp, appKey, authToken, sek, authorization...), those same
 * values wherever they recur inside other strings, and `extraSecrets`. Functions and live
 * dependencies (the provider, the clock) are dropped. The copy shares no object with the
 * input, so nothing secret can be reached from it by any property path.
 *
 * @example
 * ```ts
 * redactDeep({ otp: '575757', note: 'otp 575757' }); // { otp: '[redacted]', note: 'otp [redacted]' }
 * ```
 */
export function redactDeep(value: unknown, extraSecrets: Iterable<string> = []): unknown {
  const secrets = secretValuesIn(value);
  for (const extra of extraSecrets) if (extra.length >= MIN_SECRET_LENGTH) secrets.add(extra);
  return copy(value, secrets, new WeakMap(), 0);
}
