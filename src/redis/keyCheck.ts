import { createHmac } from 'node:crypto';
import { StoreError } from '../errors/StoreError.js';
import type { RedisConnection } from './connection.js';
import { recordNames } from './recordNames.js';

/** What the check asks of the store it guards. */
export interface KeyCheckTarget {
  readonly redis: RedisConnection;
  readonly prefix: string;
  /** The seal key's bytes. */
  readonly secret: Uint8Array;
  /** Whether a record's sealed name (field `k`) opens under this seal key. */
  readonly opensName: (sealedName: string) => boolean;
}

/**
 * The key check value of a prefix: an HMAC of a constant under the seal key, stored once per
 * prefix (`{prefix}:keycheck`). A worker started with another seal key would derive other key
 * names, find no record, take every session for new and, in auto mode, text every taxpayer.
 * The check makes that a `StoreError` that names the cause, before any command of the store
 * and so before any provider call.
 *
 * The first worker of a prefix writes the value (SET NX). A prefix written by a release
 * before the check has records and no value: the first record found must open under the key
 * before the value is written, so a wrong key cannot claim a prefix that holds records either.
 * Returns a function that resolves once the check has passed (and remembers a mismatch; an
 * unreachable store is asked again next time).
 */
export function keyCheck(target: KeyCheckTarget): () => Promise<void> {
  const { redis, prefix } = target;
  const checkKey = `${prefix}:keycheck`;
  const value = createHmac('sha256', target.secret)
    .update('gstr-session/key-check')
    .digest('base64url');
  const mismatch = () =>
    new StoreError(
      checkKey,
      `the sealKey is not the one the records under prefix '${prefix}' were sealed with: start every worker with the same key (to rotate it, copySessions to a new prefix)`,
    );

  /** Whether the first named record found opens under this key (none found: yes). */
  async function firstRecordOpens(): Promise<boolean> {
    for await (const { sealedName } of recordNames(redis, prefix, 'keycheck')) {
      return target.opensName(sealedName);
    }
    return true;
  }

  async function check(): Promise<void> {
    let stored = await redis.send(['GET', checkKey], 'keycheck');
    if (stored === null || stored === undefined) {
      if (!(await firstRecordOpens())) throw mismatch();
      await redis.send(['SET', checkKey, value, 'NX'], 'keycheck');
      stored = await redis.send(['GET', checkKey], 'keycheck');
    }
    if (String(stored) !== value) throw mismatch();
  }

  let passed: Promise<void> | undefined;
  return () => {
    passed ??= check().catch((error: unknown) => {
      // A mismatch is final; a store that could not be reached is asked again next time.
      if (!(error instanceof StoreError && error.name === 'StoreError')) passed = undefined;
      throw error;
    });
    return passed;
  };
}
