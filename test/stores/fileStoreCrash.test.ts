import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/stores/fileStore.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BUILT = join(ROOT, 'dist', 'src', 'stores', 'fileStore.js');
const KEY = { gstin: '27AAPFU0939F1ZV', username: 'portal-user' };

/** A writer that saves ever-growing records as fast as it can, until it is killed. */
const WRITER = `
import { fileStore } from ${JSON.stringify(BUILT)};
const store = fileStore(process.argv[1]);
const key = ${JSON.stringify(KEY)};
for (let n = 1; ; n++) {
  const size = 50_000 + (n % 7) * 40_000;
  await store.save(key, { n, size, payload: String(n % 10).repeat(size) });
  if (n === 1) process.stdout.write('first\\n');
}
`;

let dir: string;
beforeAll(async () => {
  if (!existsSync(BUILT)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  dir = await mkdtemp(join(tmpdir(), 'gstr-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts the writer, waits for its first complete write, lets it run `ms` more, kills it. */
function writeThenKill(ms: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), ms));
    child.on('exit', () => done());
    child.on('error', fail);
  });
}

describe('fileStore under crashes', () => {
  it('leaves the old record or a new one, never a torn one, when killed mid-write', async () => {
    const store = fileStore(dir);
    const seen = new Set<number>();
    for (let round = 0; round < 25; round++) {
      await writeThenKill(1 + ((round * 7) % 23));
      const record = (await store.load(KEY)) as { n: number; size: number; payload: string };
      expect(record.payload.length).toBe(record.size);
      expect(record.payload).toBe(String(record.n % 10).repeat(record.size));
      seen.add(record.n);
    }
    // The kills landed at different points: many distinct records were the last whole one.
    expect(seen.size).toBeGreaterThan(3);
    expect(await store.list()).toEqual([KEY]);
    expect((await readdir(dir)).some((f) => f.endsWith('.session.json'))).toBe(true);
  });
});
