import { isGstrError } from '../errors/isGstrError.js';
import { gstnCodeMeaning } from '../gstn/gstnCodes.js';
import type { ReadOutcome } from './GstrRead.js';

/**
 * A refusal that is really an outcome of a read: GSTN's "no data" codes (a result, never an
 * empty list that would read as "no invoices") and its "queued / in progress" codes. Every
 * provider's `read` asks this of what it caught before rethrowing it.
 */
export function outcomeOfRefusal(error: unknown): ReadOutcome<never> | undefined {
  if (!isGstrError(error, 'ProviderHttpError')) return undefined;
  const code = error.providerCode;
  const meaning = gstnCodeMeaning(code, 'call');
  const message = error.providerMessage ?? '';
  if (code === undefined) return undefined;
  if (meaning === 'noData') return { kind: 'noData', code, message };
  if (meaning === 'queued') return { kind: 'queued', code, message, retryAfterMs: undefined };
  return undefined;
}

/** Runs a read, turning its "no data" and "queued" refusals into outcomes. */
export async function readOutcome(run: () => Promise<unknown>): Promise<ReadOutcome> {
  try {
    return { kind: 'data', data: await run() };
  } catch (error) {
    const outcome = outcomeOfRefusal(error);
    if (outcome) return outcome;
    throw error;
  }
}
