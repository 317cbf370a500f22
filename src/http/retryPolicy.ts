import * as v from 'valibot';
import { countSchema, DurationSchema } from '../schemas/options.js';

/** How failed requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 2. */
  readonly limit?: number;
  /** The longest wait between two attempts, in ms. Default 10 000. */
  readonly backoffLimitMs?: number;
  /** The longest `Retry-After` honoured, in ms; longer ones fail at once. Default 60 000. */
  readonly maxRetryAfterMs?: number;
}

/** The retry policy every HTTP provider of the library starts from. */
export const DEFAULT_RETRY = { limit: 2, backoffLimitMs: 10_000, maxRetryAfterMs: 60_000 } as const;

/** The schema of {@link RetryPolicy}, shared by every provider's options. */
export const RetryPolicySchema = v.object(
  {
    limit: v.optional(countSchema(0, 10)),
    backoffLimitMs: v.optional(DurationSchema),
    maxRetryAfterMs: v.optional(DurationSchema),
  },
  'must be an object',
);
