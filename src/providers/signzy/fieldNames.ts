/*
 * Signzy answers GSTN's data with its field names camelCased (`sup_details` is `supDetails`).
 * GSTN's own names are lower case with underscores, so the one rule maps both ways exactly;
 * the client reads with `gstnNamesOf`, the mock's Signzy face writes with `signzyNamesOf`.
 */

/** `sup_details` -> `supDetails`. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}

/** `supDetails` -> `sup_details`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (upper) => `_${upper.toLowerCase()}`);
}

function renamed(value: unknown, rename: (name: string) => string, depth: number): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => renamed(item, rename, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, child]) => [rename(name), renamed(child, rename, depth + 1)]),
  );
}

/** GSTN's JSON from Signzy's camelCased form of it, at every depth. */
export function gstnNamesOf(value: unknown): unknown {
  return renamed(value, snake, 0);
}

/** GSTN's JSON as Signzy names its fields, at every depth (the mock's Signzy face). */
export function signzyNamesOf(value: unknown): unknown {
  return renamed(value, camel, 0);
}
