import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The layers of the guide's architecture page, from the ground up: a file may import its own
 * unit and the units of lower layers, never a unit of its own layer or above. One provider's
 * folder is a unit of its own: providers do not import each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['src/errors', 'src/version.ts'],
  ['src/time', 'src/telemetry'],
  ['src/secrets', 'src/schemas'],
  ['src/gate'],
  ['src/http', 'src/stores'],
  ['src/gstn'],
  ['src/nic'],
  ['src/reads'],
  ['src/providers'],
  ['src/providers/signzy', 'src/providers/gstn', 'src/providers/sandbox', 'src/providers/nic'],
  ['src/registry'],
  ['machines'],
  ['src/session'],
  ['src/fleet'],
  ['src/inspection', 'src/manager'],
  ['src/console'],
  ['src/index.ts', 'src/node', 'src/redis', 'src/otel', 'src/testing', 'src/cli'],
  ['src/demo', 'src/dev'],
];

/** The source files of the library: src/ and machines/. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The unit a file belongs to: the longest layer entry that holds it. */
function unitOf(file: string): string {
  const units = LAYERS.flat().filter((unit) => file === unit || file.startsWith(`${unit}/`));
  const unit = units.sort((a, b) => b.length - a.length)[0];
  if (!unit) throw new Error(`${file} is in no layer of the architecture page`);
  return unit;
}

const rankOf = (unit: string) => LAYERS.findIndex((layer) => layer.includes(unit));

/** Every relative import of every source file (static, type-only and dynamic), resolved. */
function imports(): { from: string; to: string; line: string }[] {
  const found: { from: string; to: string; line: string }[] = [];
  for (const file of [...sources('src'), ...sources('machines')]) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const target = normalize(join(dirname(file), match[1] ?? '')).replace(/\.js$/, '.ts');
      found.push({ from: file, to: relative('.', target), line: match[0] });
    }
  }
  return found;
}

describe('the architecture page', () => {
  const all = imports();

  it('finds the imports it checks (a changed import syntax would check nothing)', () => {
    expect(all.length).toBeGreaterThan(300);
  });

  it('has no arrow that runs back up: every import goes to its own unit or a lower layer', () => {
    const upward = all
      .filter(({ from, to }) => {
        const a = unitOf(from);
        const b = unitOf(to);
        return a !== b && rankOf(b) >= rankOf(a);
      })
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(upward).toEqual([]);
  });

  it('has no circle of files', () => {
    const next = new Map<string, string[]>();
    for (const { from, to } of all) next.set(from, [...(next.get(from) ?? []), to]);
    // Tarjan's strongly connected components: a component of more than one file is a circle.
    let index = 0;
    const order = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    const visit = (file: string): void => {
      order.set(file, index);
      low.set(file, index);
      index += 1;
      stack.push(file);
      onStack.add(file);
      for (const to of next.get(file) ?? []) {
        if (!order.has(to)) {
          visit(to);
          low.set(file, Math.min(low.get(file) ?? 0, low.get(to) ?? 0));
        } else if (onStack.has(to)) {
          low.set(file, Math.min(low.get(file) ?? 0, order.get(to) ?? 0));
        }
      }
      if (low.get(file) === order.get(file)) {
        const component: string[] = [];
        for (;;) {
          const top = stack.pop() as string;
          onStack.delete(top);
          component.push(top);
          if (top === file) break;
        }
        if (component.length > 1) circles.push(component.sort());
      }
    };
    for (const file of next.keys()) if (!order.has(file)) visit(file);
    expect(circles).toEqual([]);
  });

  it('names every layer in the guide, in this order', () => {
    const guide = readFileSync(join(ROOT, 'docs', 'guide.md'), 'utf8');
    const page = guide.slice(guide.indexOf('## Architecture'));
    const positions = LAYERS.map((layer) => page.indexOf(`${layer[0]}`));
    expect(positions.every((at) => at >= 0)).toBe(true);
    // The diagram is drawn from the top layer down.
    expect([...positions].sort((a, b) => b - a)).toEqual(positions);
  });
});
