import { isGstrError } from './isGstrError.js';

/**
 * Whether an error is an outage of the provider (it is down, slow or unreachable: a 5xx,
 * `GSPGSTDOWN`, a timeout, the network), as opposed to an answer (a refusal, a wrong OTP, a
 * rate limit) or a call that was never sent (the circuit breaker is open). One home for the
 * rule: the fleet retries these under its lock, and the account's breaker counts them.
 */
export function isProviderOutage(error: unknown): boolean {
  if (isGstrError(error, 'ProviderUnavailableError')) return !error.circuitOpen;
  return isGstrError(error, 'TimeoutError') || isGstrError(error, 'NetworkError');
}
