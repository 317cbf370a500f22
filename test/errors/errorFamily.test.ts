import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

/** Every error class the package exports. */
const CLASSES = Object.entries(api).filter(
  ([name, value]) =>
    name.endsWith('Error') && typeof value === 'function' && value.prototype instanceof Error,
) as [string, abstract new (...args: never[]) => Error][];

describe('isGstrError by name', () => {
  it('counts each exported error class as each of its ancestors, and as nothing else', () => {
    expect(CLASSES.length).toBeGreaterThan(15);
    const brand = Symbol.for('gstr-session.error');
    for (const [name, cls] of CLASSES) {
      // What a copy of the error from another realm looks like: its name and the brand only.
      const foreign = { name, [brand]: true };
      const ancestors = new Set<string>();
      for (let p = cls.prototype; p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
        ancestors.add(p.constructor.name);
      }
      for (const [other] of CLASSES) {
        expect(
          api.isGstrError(foreign, other as api.GstrErrorName),
          `${name} is ${ancestors.has(other) ? '' : 'not '}a ${other}`,
        ).toBe(ancestors.has(other));
      }
    }
  });
});
