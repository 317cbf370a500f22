import * as v from 'valibot';

const Duration = v.pipe(v.number('must be a number'), v.minValue(0, 'must not be negative'));
const Count = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(0, 'must not be negative'),
);

/** The session's tunable numbers as an app passes them; all optional. */
export const SessionConfigSchema = v.object({
  reauth: v.optional(v.picklist(['auto', 'manual'], 'must be auto or manual')),
  refreshLeadMs: v.optional(Duration),
  otpValidityMs: v.optional(v.pipe(Duration, v.minValue(1, 'must be positive'))),
  otpResendCooldownMs: v.optional(Duration),
  maxOtpResends: v.optional(Count),
  maxOtpAttempts: v.optional(v.pipe(Count, v.minValue(1, 'must be at least 1'))),
  clockCheckMs: v.optional(v.pipe(Duration, v.minValue(10, 'must be at least 10'))),
  accessTokenSkewMs: v.optional(Duration),
});
