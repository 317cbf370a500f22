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

/**
 * A writer that saves records as fast as it can, until it is killed. It goes on from the last
 * whole record's number, so every round must leave a number at least one higher.
 */
const WRITER = `
import { fileStore } from ${JSON.stringify(BUILT)};
const store = fileStore(process.argv[1]);
const key = ${JSON.stringify(KEY)};
const last = (await store.load(key))?.n ?? 0;
for (let n = last + 1; ; n++) {
  const size = 50_000 + (n % 7) * 40_000;
  await store.save(key, { n, size, payload: String(n % 10).repeat(size) });
  if (n === last + 1) process.stdout.write('first\\n');
}
`;

let dir: string;
// `npm test` builds first; a build here (a bare `vitest` run) may take long on a busy machine.
beforeAll(async () => {
  if (!existsSync(BUILT)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  dir = await mkdtemp(join(tmpdir(), 'gstr-crash-'));
}, 180_000);
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
  it('leaves the old record or a new one, never a torn one, when killed mid-write', {
    timeout: 120_000,
  }, async () => {
    const store = fileStore(dir);
    let previous = 0;
    for (let round = 0; round < 25; round++) {
      await writeThenKill(1 + ((round * 7) % 23));
      const record = (await store.load(KEY)) as { n: number; size: number; payload: string };
      expect(record.payload.length).toBe(record.size);
      expect(record.payload).toBe(String(record.n % 10).repeat(record.size));
      // Each writer finished at least its first write before it was killed, and a kill
      // never brings back an older record: the numbers only grow, however loaded the machine.
      expect(record.n).toBeGreaterThan(previous);
      previous = record.n;
    }
    // The temp files of the killed writers hold records in clear: list() removes them.
    expect(await store.list()).toEqual([KEY]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await readdir(dir)).some((f) => f.endsWith('.session.json'))).toBe(true);
  });
});
