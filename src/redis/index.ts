/**
 * `gstr-session/redis`: the session store for many worker processes, on Redis. Needs the
 * app's own `redis` (node-redis) or `ioredis` client; nothing here imports either.
 *
 * @module
 */
export { StoreUnavailableError } from '../errors/StoreUnavailableError.js';
export type { RedisClientLike } from './connection.js';
export { copySessions } from './copySessions.js';
export type { RedisStoreOptions } from './options.js';
export { type RedisSessionStore, redisStore } from './redisStore.js';
