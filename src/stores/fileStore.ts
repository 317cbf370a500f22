import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { StoreError } from '../errors/StoreError.js';
import { parseOptions } from '../schemas/parse.js';
import { keyName, type SessionKey, type SessionStore } from './SessionStore.js';
import { removeStaleTemps, writeFileAtomic } from './writeFileAtomic.js';

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

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

const DirSchema = v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'));

/**
 * A store with one file per session in `dir` (created with mode 0700 if missing). Each write
 * goes to a temporary file (mode 0600) that is fsynced and then renamed over the old one, and
 * the folder is fsynced: a crash at any point leaves the old record or the new one, never a
 * torn file. Temp files left by a writer that died are removed by `list()` (which the
 * manager's `start()` calls) and `delete()`, and never count as records.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ provider, store: fileStore('/var/lib/myapp/gstr') });
 * ```
 */
export function fileStore(dir: string): SessionStore {
  parseOptions(v.object({ dir: DirSchema }), { dir }, 'fileStore');
  let ready: Promise<void> | undefined;
  const ensureDir = () => {
    ready ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return ready;
  };

  return {
    async save(key, record) {
      await ensureDir();
      try {
        await writeFileAtomic(join(dir, fileName(key)), JSON.stringify(record));
      } catch (error) {
        throw new StoreError(keyName(key), `cannot write (${codeOf(error)})`, error);
      }
    },

    async load(key) {
      let text: string;
      try {
        text = await readFile(join(dir, fileName(key)), 'utf8');
      } catch (error) {
        if (codeOf(error) === 'ENOENT') return undefined;
        throw new StoreError(keyName(key), `cannot read (${codeOf(error)})`, error);
      }
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new StoreError(keyName(key), 'the file is not JSON', error);
      }
    },

    async delete(key) {
      const target = join(dir, fileName(key));
      await rm(target, { force: true });
      try {
        await removeStaleTemps(dir, await readdir(dir), target);
      } catch (error) {
        if (codeOf(error) !== 'ENOENT') throw error;
      }
    },

    async list() {
      await ensureDir();
      const names = await readdir(dir);
      await removeStaleTemps(dir, names);
      return names.flatMap((name) => {
        const key = keyOf(name);
        return key ? [key] : [];
      });
    },
  };
}
