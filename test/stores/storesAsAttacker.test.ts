import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSessionFile } from '../../src/cli/sessionFile.js';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { encryptedStore } from '../../src/stores/encryptedStore.js';
import { fileStore } from '../../src/stores/fileStore.js';
import { memoryStore } from '../../src/stores/memoryStore.js';

const KEY = { gstin: '27AAPFU0939F1ZV', username: 'portal-user' };
const SECRET = 'auth-token-in-clear-0123456789';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gstr-harden-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (so a temp file named for it is an orphan). */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.on('exit', () => resolve(child.pid ?? 999_999));
  });
}

describe('encryptedStore', () => {
  it('refuses a record whose GCM tag was cut short', async () => {
    const inner = memoryStore();
    const store = encryptedStore(inner, Buffer.alloc(32, 1));
    await store.save(KEY, { token: SECRET });
    const envelope = (await inner.load(KEY)) as { tag: string };
    const short = Buffer.from(envelope.tag, 'base64').subarray(0, 4).toString('base64');
    await inner.save(KEY, { ...envelope, tag: short });
    const error = await store.load(KEY).catch((e: unknown) => e);
    expect(isGstrError(error, 'StoreError')).toBe(true);
  });

  it('refuses a key that is not 32 bytes and an inner store that is not one, naming them', () => {
    expect(() => encryptedStore(memoryStore(), 12345 as unknown as string)).toThrow(
      /Invalid key for encryptedStore/,
    );
    expect(() => encryptedStore(memoryStore(), 'c2hvcnQ=')).toThrow(/Invalid key/);
    expect(() => encryptedStore({} as never, Buffer.alloc(32))).toThrow(
      /Invalid store for encryptedStore/,
    );
  });
});

describe('fileStore temp files', () => {
  it('removes temps left by dead writers on list() and never lists them', async () => {
    const store = fileStore(dir);
    await store.save(KEY, { token: 'kept' });
    const pid = await deadPid();
    const orphan = `${KEY.gstin}__portal-user.session.json.${pid}.0123456789ab.tmp`;
    await writeFile(join(dir, orphan), JSON.stringify({ token: SECRET }), { mode: 0o600 });
    const ownOld = `${KEY.gstin}__other.session.json.${process.pid}.abcdefabcdef.tmp`;
    await writeFile(join(dir, ownOld), JSON.stringify({ token: SECRET }));
    expect(await store.list()).toEqual([KEY]);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('removes the temps of a key on delete()', async () => {
    const store = fileStore(dir);
    await store.save(KEY, { token: 'kept' });
    const pid = await deadPid();
    await writeFile(
      join(dir, `${KEY.gstin}__portal-user.session.json.${pid}.0123456789ab.tmp`),
      SECRET,
    );
    await store.delete(KEY);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a folder that is not a string, naming it', () => {
    expect(() => fileStore(null as unknown as string)).toThrow(/Invalid dir for fileStore/);
  });
});

describe('the CLI session file', () => {
  const session = JSON.parse(
    readFileSync(new URL('../fixtures/persisted-v1-authenticated.json', import.meta.url), 'utf8'),
  );

  it('replaces a symlink instead of writing through it', async () => {
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'untouched');
    const path = join(dir, 'session.json');
    await symlink(victim, path);
    await writeSessionFile(path, session);
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    expect((await lstat(path)).isSymbolicLink()).toBe(false);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('never writes tokens into an existing file with a wider mode', async () => {
    const path = join(dir, 'session.json');
    await writeFile(path, '{}', { mode: 0o644 });
    const before = await stat(path);
    await writeSessionFile(path, session);
    const after = await stat(path);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
  });

  it('fails with ENOENT in a missing folder and leaves no temp file', async () => {
    const error = await writeSessionFile(join(dir, 'missing', 's.json'), session).catch(
      (e: unknown) => e,
    );
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    await mkdir(join(dir, 'missing'));
    expect(await readdir(join(dir, 'missing'))).toEqual([]);
  });
});
