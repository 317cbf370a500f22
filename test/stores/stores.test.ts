import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors/InvalidInputError.js';
import { StoreError } from '../../src/errors/StoreError.js';
import { encryptedStore } from '../../src/stores/encryptedStore.js';
import { fileStore } from '../../src/stores/fileStore.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { rejectionOf } from '../helpers/fixtures.js';

const KEY = { gstin: '27AAPFU0939F1ZV', username: 'portal-user' };
const OTHER = { gstin: '33GSPTN0231G1ZM', username: 'a/b..c%d' };
const RECORD = {
  version: 1,
  state: 'authenticated',
  token: { authToken: 'secret-auth-token-1234', sek: 'secret-sek-5678' },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gstr-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('memoryStore', () => {
  it('keeps copies, lists keys and deletes', async () => {
    const store = memoryStore();
    const record = structuredClone(RECORD);
    await store.save(KEY, record);
    record.state = 'changed';
    expect(await store.load(KEY)).toEqual(RECORD);
    expect(await store.list()).toEqual([KEY]);
    await store.delete(KEY);
    expect(await store.load(KEY)).toBeUndefined();
  });
});

describe('fileStore', () => {
  it('round-trips records in files only the owner can read', async () => {
    const store = fileStore(join(dir, 'sessions'));
    await store.save(KEY, RECORD);
    await store.save(OTHER, { ...RECORD, state: 'expired' });
    expect(await store.load(KEY)).toEqual(RECORD);
    expect(await store.load(OTHER)).toMatchObject({ state: 'expired' });
    const keys = await store.list();
    expect(keys).toHaveLength(2);
    expect(keys).toContainEqual(OTHER);
    const files = await readdir(join(dir, 'sessions'));
    expect(files.every((f) => !f.includes('/') && f.endsWith('.session.json'))).toBe(true);
    for (const f of files) expect((await stat(join(dir, 'sessions', f))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'sessions'))).mode & 0o777).toBe(0o700);
  });

  it('replaces a record and leaves no temporary file', async () => {
    const store = fileStore(dir);
    await store.save(KEY, RECORD);
    await store.save(KEY, { ...RECORD, state: 'expired' });
    expect(await store.load(KEY)).toMatchObject({ state: 'expired' });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('answers undefined for a missing record and a StoreError for a broken one', async () => {
    const store = fileStore(dir);
    expect(await store.load(KEY)).toBeUndefined();
    await store.save(KEY, RECORD);
    const [file] = await readdir(dir);
    await writeFile(join(dir, file ?? ''), '{"version": 1, "sta');
    const error = await rejectionOf(store.load(KEY));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain('not JSON');
  });

  it('ignores files that are not its records', async () => {
    const store = fileStore(dir);
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await writeFile(join(dir, 'x.session.json.1.abc.tmp'), '{');
    expect(await store.list()).toEqual([]);
  });
});

describe('encryptedStore', () => {
  const key = randomBytes(32);

  it('round-trips, and the record at rest holds no secret', async () => {
    const inner = fileStore(dir);
    const store = encryptedStore(inner, key);
    await store.save(KEY, RECORD);
    expect(await store.load(KEY)).toEqual(RECORD);
    const [file] = await readdir(dir);
    const atRest = await readFile(join(dir, file ?? ''), 'utf8');
    expect(atRest).not.toContain('secret-auth-token-1234');
    expect(atRest).not.toContain('authenticated');
    expect(JSON.parse(atRest)).toMatchObject({ alg: 'A256GCM' });
  });

  it('accepts a base64 key and refuses a key of the wrong size', () => {
    expect(() => encryptedStore(memoryStore(), key.toString('base64'))).not.toThrow();
    // A bad option is an InvalidInputError naming it, like every option.
    expect(() => encryptedStore(memoryStore(), randomBytes(16))).toThrow(InvalidInputError);
  });

  it('tells a person who passed 32 characters how to make a key of 32 bytes', () => {
    expect(() => encryptedStore(memoryStore(), 'x'.repeat(32))).toThrow(
      /Uint8Array of 32 random bytes, or their base64.*openssl rand -base64 32/,
    );
  });

  it('is a clear error with a wrong key', async () => {
    const inner = memoryStore();
    await encryptedStore(inner, key).save(KEY, RECORD);
    const error = await rejectionOf(encryptedStore(inner, randomBytes(32)).load(KEY));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain('wrong key, or the record was tampered with');
  });

  it('is a clear error when a record was tampered with or moved to another session', async () => {
    const inner = memoryStore();
    const store = encryptedStore(inner, key);
    await store.save(KEY, RECORD);
    const envelope = (await inner.load(KEY)) as { data: string };
    const bytes = Buffer.from(envelope.data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await inner.save(KEY, { ...envelope, data: bytes.toString('base64') });
    await expect(store.load(KEY)).rejects.toBeInstanceOf(StoreError);

    await store.save(KEY, RECORD);
    await inner.save(OTHER, await inner.load(KEY));
    await expect(store.load(OTHER)).rejects.toBeInstanceOf(StoreError);

    await inner.save(KEY, { hello: 'plain' });
    await expect(store.load(KEY)).rejects.toThrow('not encrypted by this store');
  });
});
