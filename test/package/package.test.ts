import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

const ROOT = resolve(import.meta.dirname, '../..');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

// `npm test` builds first; a bare `vitest` run builds here.
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'index.js')))
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
}, 180_000);

describe('the package', () => {
  it('ships no source map, nor a pointer to one, since it ships no sources', async () => {
    const files = await filesUnder(join(ROOT, 'dist'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      expect(await readFile(file, 'utf8'), file).not.toContain('sourceMappingURL');
    }
  });

  it('declares xstate as a peer, the Node floor it tests, its licence and its version', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
      license: string;
      engines: { node: string };
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(pkg.peerDependencies.xstate).toMatch(/^\^5\./);
    expect(pkg.dependencies.xstate).toBeUndefined();
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    expect(pkg.version).toBe(VERSION);
    expect(await readFile(join(ROOT, 'LICENSE'), 'utf8')).toContain(`${pkg.license} License`);
  });
});
