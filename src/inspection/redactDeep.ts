import { REDACTED } from '../redact.js';

/** Keys whose values are secrets wherever they appear. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'accessToken',
  'otp',
  'appKey',
  'authToken',
  'sek',
  'authorization',
]);

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
 * The plain form of an object: machine snapshots and GstrErrors know theirs (without the
 * machine definition, live children or stack), actors are named by id, errors by name and message.
 */
function plain(value: object): unknown {
  if (isActorRef(value)) return { actorId: value.id, sessionId: value.sessionId };
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function' && !(value instanceof Date)) return toJSON.call(value);
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function collectSecrets(
  value: unknown,
  found: Set<string>,
  seen: WeakSet<object>,
  depth: number,
): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return;
  seen.add(value);
  const form = plain(value);
  if (form !== value) {
    collectSecrets(form, found, seen, depth + 1);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (DEPENDENCY_KEYS.has(key)) continue;
    if (SECRET_KEYS.has(key) && typeof child === 'string' && child.length >= 4) found.add(child);
    else collectSecrets(child, found, seen, depth + 1);
  }
}

function blank(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

function copy(
  value: unknown,
  secrets: ReadonlySet<string>,
  seen: WeakMap<object, unknown>,
  depth: number,
): unknown {
  if (typeof value === 'string') return blank(value, secrets);
  if (typeof value === 'function') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return '[depth]';
  const known = seen.get(value);
  if (known !== undefined) return known;
  const form = plain(value);
  if (form !== value) return copy(form, secrets, seen, depth + 1);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, secrets, seen, depth + 1));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, child] of Object.entries(value)) {
    if (DEPENDENCY_KEYS.has(key)) out[key] = `[${key}]`;
    else if (SECRET_KEYS.has(key) && child !== undefined && child !== null) out[key] = REDACTED;
    else out[key] = copy(child, secrets, seen, depth + 1);
  }
  return out;
}

/**
 * Returns a plain copy of any value with every secret replaced by `[redacted]`: values under
 * secret keys (password, accessToken, otp, appKey, authToken, sek, authorization), those same
 * values wherever they recur inside other strings, and `extraSecrets`. Functions and live
 * dependencies (the provider, the clock) are dropped.
 *
 * @example
 * ```ts
 * redactDeep({ otp: '575757', note: 'otp 575757' }); // { otp: '[redacted]', note: 'otp [redacted]' }
 * ```
 */
export function redactDeep(value: unknown, extraSecrets: readonly string[] = []): unknown {
  const secrets = new Set<string>(extraSecrets.filter((s) => s.length >= 4));
  collectSecrets(value, secrets, new WeakSet(), 0);
  return copy(value, secrets, new WeakMap(), 0);
}
