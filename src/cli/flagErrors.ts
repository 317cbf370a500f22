import { isGstrError } from '../errors/isGstrError.js';
import { UsageError } from './UsageError.js';

/** The command-line flag behind each option the CLI passes on. */
const FLAG_OF: Readonly<Record<string, string>> = {
  gstin: '--gstin',
  username: '--username',
  baseUrl: '--base-url',
  gstrPath: '--gstr-path',
  expiryUnit: '--expiry-unit',
  maxOtpAttempts: '--max-otp-attempts',
  timeoutMs: '--timeout',
  certificate: '--certificate',
};

/**
 * Runs a constructor with options that came from flags: an option it refuses becomes a usage
 * error that names the flag the person typed (`--base-url`), not the option inside (`baseUrl`).
 */
export function withFlagNames<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (isGstrError(error, 'InvalidInputError')) {
      const { field, reason } = error as unknown as { field: string; reason: string };
      const flag = FLAG_OF[field];
      if (flag) throw new UsageError(`${flag} ${reason}`);
    }
    throw error;
  }
}
