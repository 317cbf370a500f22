import { readRecord } from '../fleet/readRecord.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import type { SessionStore } from '../stores/SessionStore.js';
import { keyName } from '../stores/SessionStore.js';

/** What {@link copySessions} did. */
export interface CopyReport {
  readonly copied: number;
  /** Keys whose record could not be read (wrong key, tampered, another provider), and why. */
  readonly skipped: readonly { readonly key: string; readonly reason: string }[];
}

/**
 * Copies every session of one store into another (e.g. `fileStore` to `redisStore`), each
 * record checked as a manager would restore it: the sessions keep their tokens, so moving to
 * Redis costs no OTP. Run it once, with no manager writing to `from`.
 *
 * @example
 * ```ts
 * const report = await copySessions({
 *   from: encryptedStore(fileStore(dir), key),
 *   to: redisStore({ client, sealKey: key }),
 *   provider,
 * });
 * ```
 */
export async function copySessions(options: {
  readonly from: SessionStore;
  readonly to: SessionStore;
  readonly provider: Pick<GstrProvider, 'name' | 'capabilities'>;
}): Promise<CopyReport> {
  let copied = 0;
  const skipped: { key: string; reason: string }[] = [];
  for (const key of await options.from.list()) {
    const read = await readRecord(options.from, key, options.provider);
    if (read.kind === 'saved') {
      await options.to.save(key, read.saved);
      copied += 1;
    } else if (read.kind === 'skipped') {
      skipped.push({ key: keyName(key), reason: read.skipped.reason });
    }
  }
  return { copied, skipped };
}
