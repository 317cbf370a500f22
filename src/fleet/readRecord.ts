import { isGstrError } from '../errors/isGstrError.js';
import { StoreError } from '../errors/StoreError.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { type PersistedGstrSession, parsePersisted } from '../session/persistence.js';
import type { SessionLogger } from '../session/types.js';
import { keyName, type SessionKey, type SessionStore } from '../stores/SessionStore.js';

/** A stored record that `start()` could not read, and why. */
export interface SkippedRecord {
  readonly gstin: string;
  readonly username: string;
  /** Why, e.g. `cannot decrypt: wrong key, or the record was tampered with`. */
  readonly reason: string;
  /** The error that `credentials()` of this key rejects with until the record is replaced. */
  readonly error: StoreError;
}

/** What one stored record turned out to be. */
export type RecordRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'saved'; readonly saved: PersistedGstrSession }
  | {
      readonly kind: 'skipped';
      readonly skipped: SkippedRecord;
      /**
       * The store itself failed (not a `GstrError`: a connection refused, a timeout), rather
       * than the record being unreadable: a later read may succeed, so nothing is marked.
       */
      readonly transient: boolean;
    };

/** Loads and validates one record; a record that cannot be read says why, as a `StoreError`. */
export async function readRecord(
  store: SessionStore,
  key: SessionKey,
  provider: Pick<GstrProvider, 'name' | 'capabilities'>,
): Promise<RecordRead> {
  let record: unknown;
  try {
    record = await store.load(key);
  } catch (error) {
    return unreadable(key, error);
  }
  return recordOf(record, key, provider);
}

/** Validates a loaded record (from a store, or a shared store's read); none is `absent`. */
export function recordOf(
  record: unknown,
  key: SessionKey,
  provider: Pick<GstrProvider, 'name' | 'capabilities'>,
): RecordRead {
  if (record === undefined) return { kind: 'absent' };
  try {
    return {
      kind: 'saved',
      saved: parsePersisted(record, { gstin: key.gstin, username: key.username, provider }),
    };
  } catch (error) {
    return unreadable(key, error);
  }
}

/** Why a record could not be read (its load failed with `error`), and whether a later read may succeed. */
export function unreadable(key: SessionKey, error: unknown): RecordRead {
  if (isGstrError(error, 'StoreUnavailableError')) {
    // Not the record's fault: nothing is marked, and the caller gets the typed outage.
    const skipped = { gstin: key.gstin, username: key.username, reason: error.problem, error };
    return { kind: 'skipped', skipped, transient: true };
  }
  const reason =
    error instanceof StoreError
      ? error.problem
      : isGstrError(error)
        ? error.message
        : 'the store could not be reached';
  const failure = new StoreError(keyName(key), `its record could not be read (${reason})`);
  return {
    kind: 'skipped',
    skipped: { gstin: key.gstin, username: key.username, reason, error: failure },
    transient: !isGstrError(error),
  };
}

/**
 * Says which records could not be read, to the logger, or (without one) once on the console:
 * a wrong store key must never pass silently.
 */
export function reportSkipped(
  skipped: readonly SkippedRecord[],
  logger: SessionLogger | undefined,
): void {
  for (const record of skipped) {
    logger?.warn?.(`gstr-session manager: skipped ${keyName(record)}: ${record.reason}`, {
      error: record.error.toJSON(),
    });
  }
  const first = skipped[0];
  if (!logger && first) {
    console.warn(
      `gstr-session manager: ${skipped.length} stored session(s) could not be read (first: ${keyName(first)}: ${first.reason}). Pass a logger to see each.`,
    );
  }
}
