/** The headers a server may use to say when to come back, in the order ky reads them. */
const RETRY_AFTER_HEADERS = [
  'retry-after',
  'ratelimit-reset',
  'x-ratelimit-retry-after',
  'x-ratelimit-reset',
  'x-rate-limit-reset',
] as const;

/**
 * How long a server asked to wait before a retry, in ms (seconds, an HTTP date, or an epoch
 * timestamp, as ky reads them), or `undefined` when it did not say.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  for (const name of RETRY_AFTER_HEADERS) {
    const value = headers.get(name);
    if (value === null) continue;
    let after = Number(value) * 1000;
    if (Number.isNaN(after)) after = Date.parse(value) - now;
    else if (after >= Date.parse('2024-01-01')) after -= now;
    return Number.isNaN(after) ? undefined : Math.max(0, after);
  }
  return undefined;
}
