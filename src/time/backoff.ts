/**
 * A full-jitter backoff delay (AWS architecture blog): a random wait up to the capped
 * exponential `baseMs * 2^attempt`. Workers that failed together then retry apart.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
}
