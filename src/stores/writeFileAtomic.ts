import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files of this process whose write is still under way (never cleaned up by it). */
const inFlight = new Set<string>();

/** A temp file older than this is stale whoever wrote it: no write takes ten minutes. */
const STALE_TEMP_MS = 10 * 60_000;

const TEMP_PATTERN = /^(.*)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes `text` to `path` so that a reader (or a crash at any point) sees the old file or the
 * new one, never a torn one, and the secrets in it are never readable by others: a temp file
 * in the same folder, created exclusively with mode 0600, fsynced, renamed over `path` (which
 * replaces a symlink at `path` rather than following it), then the folder fsynced.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  inFlight.add(temp);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    // The rename itself is durable only once the folder is synced.
    const folder = await open(dirname(path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    inFlight.delete(temp);
  }
}

/** The file a temp file was being written for, or `undefined` when `name` is no temp file. */
export function tempTarget(name: string): string | undefined {
  return TEMP_PATTERN.exec(name)?.[1];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a temp file in `dir` is left over from a write that will never finish: its writer
 * is gone (or is this process, which is not writing it), or it is older than ten minutes.
 * Such files may hold tokens in clear, so they are removed, and never read as records.
 */
export async function isStaleTemp(dir: string, name: string): Promise<boolean> {
  const match = TEMP_PATTERN.exec(name);
  if (!match) return false;
  const path = join(dir, name);
  if (inFlight.has(path)) return false;
  const pid = Number(match[2]);
  if (pid === process.pid || !isAlive(pid)) return true;
  try {
    return Date.now() - (await stat(path)).mtimeMs > STALE_TEMP_MS;
  } catch {
    return false;
  }
}

/** Removes the stale temp files in `dir` (those of `target` only, when given). */
export async function removeStaleTemps(
  dir: string,
  names: readonly string[],
  target?: string,
): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      if (target !== undefined && tempTarget(name) !== basename(target)) return;
      if (await isStaleTemp(dir, name)) await rm(join(dir, name), { force: true });
    }),
  );
}
