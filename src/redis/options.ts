import * as v from 'valibot';
import { countSchema } from '../schemas/options.js';
import { SealKeySchema } from '../stores/seal.js';
import { ioredisKeyPrefixOf, isRedisClient, type RedisClientLike } from './connection.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected client: node-redis (`createClient()`, v4 to v6) or ioredis (v4 to v6), created
   * without ioredis' `keyPrefix` (use `prefix` instead).
   */
  readonly client: RedisClientLike;
  /** 32 bytes (or their base64): every record is sealed with AES-256-GCM under it. */
  readonly sealKey: Uint8Array | string;
  /** The first part of every key and of the change channel. Default `gstr`. */
  readonly prefix?: string;
  /** How long one command may take before it fails as `StoreUnavailableError`. Default 2 000 ms. */
  readonly commandTimeoutMs?: number;
  /**
   * How long a session's lock lives without being extended. A worker extends it every third
   * of that while its provider call runs, so it only matters when a worker dies or stalls:
   * then the others take over after it. Default 30 000 ms.
   */
  readonly lockTtlMs?: number;
  /**
   * How often a worker re-reads the versions of the sessions it holds, in case a change
   * message was lost (pub/sub drops what is sent while a connection is down). Default 30 000 ms.
   */
  readonly pollIntervalMs?: number;
  /**
   * Records written before 0.5.0 are sealed bound to their session but not to their version:
   * `open` (the default) reads them, and seals each again bound to its version when it is
   * read, so an upgrade costs no OTP; `refuse` treats them as tampered. Set `refuse` once every
   * record has been read (or copied with `copySessions`) to close the last way to roll a
   * record back: writing a value captured before the upgrade over a newer one.
   */
  readonly legacyRecords?: 'open' | 'refuse';
}

/** Checks {@link RedisStoreOptions} before anything is sent. */
export const RedisStoreOptionsSchema = v.object(
  {
    client: v.pipe(
      v.custom<RedisClientLike>(isRedisClient, 'must be a connected node-redis or ioredis client'),
      v.check(
        (client) => ioredisKeyPrefixOf(client) === undefined,
        "is an ioredis client created with keyPrefix, which ioredis does not apply to SCAN (the store could not list its records after a restart): create the client without keyPrefix and pass the store's prefix option instead",
      ),
    ),
    sealKey: SealKeySchema,
    prefix: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 of A-Z a-z 0-9 _ . -'),
      ),
    ),
    commandTimeoutMs: v.optional(countSchema(10, 60_000)),
    lockTtlMs: v.optional(countSchema(100, 600_000)),
    pollIntervalMs: v.optional(countSchema(50, 3_600_000)),
    legacyRecords: v.optional(v.picklist(['open', 'refuse'], "must be 'open' or 'refuse'")),
  },
  'must be an object',
);

/** The defaults of {@link RedisStoreOptions}, in one place. */
export const REDIS_STORE_DEFAULTS = {
  prefix: 'gstr',
  commandTimeoutMs: 2_000,
  lockTtlMs: 30_000,
  pollIntervalMs: 30_000,
  legacyRecords: 'open',
} as const satisfies Required<Omit<RedisStoreOptions, 'client' | 'sealKey'>>;
