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

describe('error codes', () => {
  it('gives every exported error class its own stable code, documented in the guide', async () => {
    const { readFile } = await import('node:fs/promises');
    const guide = await readFile(new URL('../../docs/guide.md', import.meta.url), 'utf8');
    const codes = new Map<string, string>();
    for (const [name, cls] of CLASSES) {
      const code = instanceCode(cls);
      expect(code, name).toMatch(/^GSTR_[A-Z_]+$/);
      expect(guide, `${name}'s code in the guide`).toContain(`\`${String(code)}\``);
      codes.set(String(code), name);
    }
    expect(codes.size).toBe(CLASSES.length);
  });
});

/** An instance's `code`, made with arguments each class accepts. */
function instanceCode(cls: abstract new (...args: never[]) => Error): string | undefined {
  const details = { step: 'login', host: 'p.test', status: 500 } as const;
  const attempts: unknown[][] = [
    ['m', { step: 'login' }],
    [details],
    [1, { step: 'login' }],
    ['field', 'is wrong', { step: 'login' }],
    ['27AAPFU0939F1ZV'],
    [],
  ];
  for (const args of attempts) {
    try {
      const made = Reflect.construct(cls, args) as { code?: unknown };
      if (typeof made.code === 'string') return made.code;
    } catch {
      // Not this class's arguments: try the next.
    }
  }
  return undefined;
}
