import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import type { PersistedGstrSession } from '../session/persistence.js';
import { readPersisted } from '../session/persistence.js';
import { writeFileAtomic } from '../stores/writeFileAtomic.js';

/**
 * The format of a session file written by `gstr-session login --save`. The session inside
 * carries its own format version (files of 0.1 and 0.2 hold version 1, migrated on reading).
 */
const SessionFileSchema = v.object({
  format: v.literal('gstr-session/1'),
  baseUrl: v.optional(v.string()),
  session: v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return readPersisted(dataset.value);
      } catch {
        addIssue({ message: 'is not a saved session' });
        return NEVER;
      }
    }),
  ),
});

/** A saved session and where its provider is. */
export type SessionFile = v.InferOutput<typeof SessionFileSchema>;

/**
 * Writes a session file readable by its owner only (it holds the tokens), as `fileStore`
 * writes: a new 0600 temp file beside it, then a rename. A symlink at `path` is replaced,
 * never followed, and no token is ever written into a file with a wider mode.
 */
export async function writeSessionFile(
  path: string,
  session: PersistedGstrSession,
  baseUrl?: string,
): Promise<void> {
  const file: SessionFile = { format: 'gstr-session/1', ...(baseUrl ? { baseUrl } : {}), session };
  await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Reads and validates a session file. */
export async function readSessionFile(path: string): Promise<SessionFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = v.safeParse(SessionFileSchema, json);
  if (!parsed.success)
    throw new Error(
      `${path} is not a gstr-session file (${v.getDotPath(parsed.issues[0]) ?? 'format'} is invalid)`,
    );
  return parsed.output;
}
