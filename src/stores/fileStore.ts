import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../errors/StoreError.js';
import { keyName, type SessionKey, type SessionStore } from './SessionStore.js';

const SUFFIX = '.session.json';

function fileName(key: SessionKey): string {
  // GSTINs are [0-9A-Z]; usernames are encoded so that no name can escape the folder.
  return `${key.gstin}__${encodeURIComponent(key.username).replaceAll('.', '%2E')}${SUFFIX}`;
}

function keyOf(name: string): SessionKey | undefined {
  if (!name.endsWith(SUFFIX)) return undefined;
  const [gstin, encoded] = name.slice(0, -SUFFIX.length).split('__');
  if (!gstin || encoded === undefined) return undefined;
  try {
    return { gstin, username: decodeURIComponent(encoded) };
  } catch {
    return undefined;
  }
}

/**
 * A store with one file per session in `dir` (created with mode 0700 if missing). Each write
 * goes to a temporary file (mode 0600) that is fsynced and then renamed over the old one, and
 * the folder is fsynced: a crash at any point leaves the old record or the new one, never a
 * torn file.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ provider, store: fileStore('/var/lib/myapp/gstr') });
 * ```
 */
export function fileStore(dir: string): SessionStore {
  let ready: Promise<void> | undefined;
  const ensureDir = () => {
    ready ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return ready;
  };

  return {
    async save(key, record) {
      await ensureDir();
      const target = join(dir, fileName(key));
      const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        const handle = await open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify(record));
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target);
        // The rename itself is durable only once the folder is synced.
        const folder = await open(dir, 'r');
        try {
          await folder.sync();
        } finally {
          await folder.close();
        }
      } catch (error) {
        await rm(temp, { force: true });
        throw new StoreError(
          keyName(key),
          `cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
          error,
        );
      }
    },

    async load(key) {
      let text: string;
      try {
        text = await readFile(join(dir, fileName(key)), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new StoreError(
          keyName(key),
          `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
          error,
        );
      }
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new StoreError(keyName(key), 'the file is not JSON', error);
      }
    },

    async delete(key) {
      await rm(join(dir, fileName(key)), { force: true });
    },

    async list() {
      await ensureDir();
      const names = await readdir(dir);
      return names.flatMap((name) => {
        const key = keyOf(name);
        return key ? [key] : [];
      });
    },
  };
}
