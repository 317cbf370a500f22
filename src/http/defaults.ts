/**
 * The transport defaults every HTTP provider of the library starts from (one home: a provider
 * that needs another value says so in its own defaults).
 */

/** The longest one step may take, headers, whole body and retries: 15 s. */
export const DEFAULT_STEP_TIMEOUT_MS = 15_000;

/** The largest answer of an auth step (login, OTP, token, refresh, logout): 256 KiB. */
export const DEFAULT_MAX_AUTH_RESPONSE_BYTES = 256 * 1024;

/** The largest answer of a read (and of each file of a large one): 32 MiB. */
export const DEFAULT_MAX_READ_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * The most one read may hold in all, downloaded and decompressed (each counted on its own),
 * across every file of a large answer: 256 MiB. A month of GSTR-2A for a large taxpayer runs
 * to tens of MiB; this leaves room for that while one read cannot take a worker's memory.
 */
export const DEFAULT_MAX_READ_BYTES = 256 * 1024 * 1024;
