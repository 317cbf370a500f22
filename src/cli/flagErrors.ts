import { isGstrError } from '../errors/isGstrError.js';
import { PROVIDERS } from '../registry/providers.js';
import { UsageError } from './UsageError.js';

/** The command-line flag behind each option the CLI passes on (the providers' own included). */
const FLAG_OF: Readonly<Record<string, string>> = {
  gstin: '--gstin',
  username: '--username',
  baseUrl: '--base-url',
  maxOtpAttempts: '--max-otp-attempts',
  timeoutMs: '--timeout',
  ...Object.fromEntries(
    PROVIDERS.flatMap((p) => p.flags.map((flag) => [flag.option, `--${flag.name}`])),
  ),
};

/** The usage error of an option refused, named by its flag; `undefined` for another error. */
function asUsageError(error: unknown): UsageError | undefined {
  if (!isGstrError(error, 'InvalidInputError')) return undefined;
  const { field, reason } = error as unknown as { field: string; reason: string };
  const flag = FLAG_OF[field];
  return flag ? new UsageError(`${flag} ${reason}`) : undefined;
}

/**
 * Runs a constructor with options that came from flags: an option it refuses becomes a usage
 * error that names the flag the person typed (`--base-url`), not the option inside (`baseUrl`).
 */
export function withFlagNames<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw asUsageError(error) ?? error;
  }
}

/** {@link withFlagNames} for a maker that answers later (a provider that reads a file first). */
export async function withFlagNamesAsync<T>(make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    throw asUsageError(error) ?? error;
  }
}
